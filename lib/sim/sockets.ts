import dgram from "node:dgram";
import net from "node:net";

/** ZLToolKit's lower-case errno texts, as they appear in ZLM's error messages. */
export function errnoText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case "EADDRINUSE":
      return "address already in use";
    case "EACCES":
      return "permission denied";
    case "EADDRNOTAVAIL":
      return "address not available";
    case "ECONNREFUSED":
      return "connection refused";
    case "ETIMEDOUT":
      return "timeout";
    case "ECONNRESET":
      return "connection reset by peer";
    default:
      return err instanceof Error ? err.message.toLowerCase() : String(err);
  }
}

export function bindUdp(host: string, port: number, reuse: boolean): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const type = net.isIPv6(host) ? "udp6" : "udp4";
    const sock = dgram.createSocket({ type, reuseAddr: reuse });
    const onError = (err: Error) => {
      sock.close();
      reject(err);
    };
    sock.once("error", onError);
    sock.bind({ port, address: host, exclusive: true }, () => {
      sock.off("error", onError);
      try {
        sock.setRecvBufferSize(4 * 1024 * 1024);
      } catch {
        // The kernel may cap SO_RCVBUF; ZLM only logs this too.
      }
      resolve(sock);
    });
  });
}

export function listenTcp(host: string, port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    const onError = (err: Error) => {
      server.close();
      reject(err);
    };
    server.once("error", onError);
    server.listen({ port, host, exclusive: true }, () => {
      server.off("error", onError);
      resolve(server);
    });
  });
}

export function closeUdp(sock: dgram.Socket | null | undefined): void {
  if (!sock) return;
  try {
    sock.close();
  } catch {
    // already closed
  }
}
