import type dgram from "node:dgram";
import type net from "node:net";
import type { SimContext } from "./context";
import { RtpProcess, type DetachReason } from "./rtp-process";
import { RtpTcpDeframer, parseRtpHeader } from "./rtp-packet";
import type { PortPool } from "./port-pool";
import { bindUdp, closeUdp, errnoText, listenTcp } from "./sockets";

export interface RtpServerOptions {
  vhost: string;
  app: string;
  streamId: string;
  /** 0 = a pair from the pool. */
  port: number;
  tcpMode: number;
  reUsePort: boolean;
  ssrc: number;
  onlyTrack: number;
  localIp: string;
  multiplex: boolean;
}

/** An openRtpServer failure, answered as -400 with ZLM's message. */
export class OpenFailure extends Error {}

export type ServerDetach = (server: RtpServer, reason: DetachReason) => void;

/**
 * One entry of ZLM's RtpServer registry: real sockets (UDP RTP on `port`, RTCP
 * on port+1, a TCP listener for tcp_mode=1) feeding one RtpProcess, or, for a
 * multiplex server, one process per SSRC.
 */
export class RtpServer {
  readonly key: string;
  readonly createdAt: number;
  ssrc: number;
  process: RtpProcess | null = null;
  readonly children = new Map<number, RtpProcess>();
  private udp: dgram.Socket | null = null;
  private rtcp: dgram.Socket | null = null;
  private tcp: net.Server | null = null;
  private readonly conns = new Set<net.Socket>();
  private fromPool = false;
  port = 0;
  closed = false;

  private constructor(
    private readonly ctx: SimContext,
    readonly options: RtpServerOptions,
    private readonly onDetach: ServerDetach,
  ) {
    this.key = `${options.vhost}/${options.app}/${options.streamId}`;
    this.createdAt = ctx.now();
    this.ssrc = options.ssrc;
  }

  /**
   * Binds the sockets like RtpServer::start. A tcp_mode=1 server whose TCP
   * listen fails leaves its UDP receiver running outside the registry (the
   * ghost of §5.8): `onGhost` gets that receiver before the failure is thrown.
   */
  static async open(
    ctx: SimContext,
    pool: PortPool,
    options: RtpServerOptions,
    onDetach: ServerDetach,
    onGhost: (ghost: RtpProcess, sockets: dgram.Socket[]) => void,
  ): Promise<RtpServer> {
    const server = new RtpServer(ctx, options, onDetach);
    await server.bindUdpPair(pool);
    if (options.tcpMode === 1) {
      try {
        server.tcp = await listenTcp(options.localIp, server.port);
      } catch (err) {
        const ghost = server.createProcess(null);
        server.process = ghost; // the UDP socket keeps feeding it
        ghost.start();
        onGhost(ghost, [server.udp, server.rtcp].filter((s): s is dgram.Socket => s !== null));
        throw new OpenFailure(`Listen on ${options.localIp} ${server.port} failed: ${errnoText(err)}`);
      }
      server.tcp.on("connection", (sock) => server.attachTcp(sock));
    }
    if (!options.multiplex) {
      server.process = server.createProcess((reason) => onDetach(server, reason));
      server.process.start();
    }
    return server;
  }

  private async bindUdpPair(pool: PortPool): Promise<void> {
    const { localIp, reUsePort } = this.options;
    if (this.options.port !== 0) {
      this.port = this.options.port;
      this.udp = await bindOrFail(localIp, this.port, reUsePort, "rtp");
      try {
        this.rtcp = await bindOrFail(localIp, (this.port + 1) & 0xffff, reUsePort, "rtcp");
      } catch (err) {
        closeUdp(this.udp);
        throw err;
      }
    } else {
      // rtsp::makeSockPair: 3 tries, each a fresh pair; the last failure's text is the answer.
      let lastError = "none reserved port in pool";
      for (let attempt = 0; attempt < 3 && !this.udp; attempt++) {
        const port = pool.take();
        if (port === null) {
          lastError = "none reserved port in pool";
          break;
        }
        try {
          const udp = await bindPoolPairAt(localIp, port, reUsePort);
          [this.udp, this.rtcp] = udp;
          this.port = port;
          this.fromPool = true;
        } catch (err) {
          lastError = err instanceof OpenFailure ? err.message : String(err);
          pool.giveBack(port);
        }
      }
      if (!this.udp) throw new OpenFailure(lastError);
    }
    this.udp.on("message", (msg, rinfo) => this.onUdp(msg, rinfo));
    this.rtcp?.on("message", () => undefined); // RTCP is read and ignored
    this.udp.on("error", () => undefined);
    this.rtcp?.on("error", () => undefined);
  }

  private createProcess(onDetach: ((reason: DetachReason) => void) | null, streamId = this.options.streamId): RtpProcess {
    return new RtpProcess(
      this.ctx,
      {
        vhost: this.options.vhost,
        app: this.options.app,
        streamId,
        localIp: this.options.multiplex ? "::" : this.options.localIp,
        localPort: this.port,
        ssrcAtOpen: this.options.ssrc,
        tcpMode: this.options.tcpMode,
        reUsePort: this.options.reUsePort,
      },
      this.ctx.now(),
      () => (this.options.multiplex ? 0 : this.ssrc),
      onDetach,
    );
  }

  private onUdp(msg: Buffer, rinfo: { address: string; port: number }): void {
    if (!this.options.multiplex) {
      this.process?.handlePacket(msg, rinfo, "udp");
      return;
    }
    // Multiplex: one stream per SSRC, named by 8 upper-case hex digits.
    const rtp = parseRtpHeader(msg);
    if (!rtp) return;
    let child = this.children.get(rtp.ssrc);
    if (!child) {
      const name = rtp.ssrc.toString(16).toUpperCase().padStart(8, "0");
      const created: RtpProcess = this.createProcess(() => {
        this.children.delete(rtp.ssrc);
        void created.unregisterMedia();
      }, name);
      child = created;
      this.children.set(rtp.ssrc, child);
      child.start();
    }
    child.handlePacket(msg, rinfo, "udp");
  }

  /** Feeds a TCP connection (accepted for tcp_mode=1, dialled by connectRtpServer for tcp_mode=2) into the receiver. */
  attachTcp(sock: net.Socket): void {
    this.conns.add(sock);
    const deframer = new RtpTcpDeframer();
    let fed = false;
    const peer = { address: sock.remoteAddress?.replace(/^::ffff:/, "") ?? "", port: sock.remotePort ?? 0 };
    sock.on("data", (chunk: Buffer) => {
      for (const pkt of deframer.push(chunk)) {
        fed = true;
        this.process?.handlePacket(pkt, peer, "tcp");
      }
    });
    const gone = () => {
      this.conns.delete(sock);
      // A TCP sender that goes away takes the server with it, without a timeout hook (observed).
      if (fed && !this.closed && this.process) this.onDetach(this, "tcp_disconnect");
    };
    sock.on("close", gone);
    sock.on("error", () => undefined);
  }

  /** All receivers of this server (one, or one per SSRC for multiplex). */
  get processes(): RtpProcess[] {
    return this.process ? [this.process] : [...this.children.values()];
  }

  /** Closes the sockets and returns the pair to the pool (after `delayMs` for older builds' lingering sockets). */
  closeSockets(pool: PortPool, delayMs: number): void {
    this.closed = true;
    const release = () => {
      closeUdp(this.udp);
      closeUdp(this.rtcp);
      this.tcp?.close();
      for (const c of this.conns) c.destroy();
      if (this.fromPool) pool.giveBack(this.port);
    };
    if (delayMs > 0) setTimeout(release, delayMs).unref?.();
    else release();
  }
}

async function bindOrFail(ip: string, port: number, reuse: boolean, what: "rtp" | "rtcp"): Promise<dgram.Socket> {
  try {
    return await bindUdp(ip, port, reuse);
  } catch (err) {
    throw new OpenFailure(`创建${what}端口 ${ip}:${port} 失败:${errnoText(err)}`);
  }
}

/**
 * PortManager::makeSockPair for a pool pair: bind both UDP sockets, then check that TCP can
 * listen on both ports too (the probe listeners are closed at once), so a pair whose TCP port
 * is taken, e.g. by an ephemeral client port, is refused as a real build refuses it.
 */
async function bindPoolPairAt(ip: string, port: number, reuse: boolean): Promise<[dgram.Socket, dgram.Socket]> {
  const rtp = await bindUdp(ip, port, reuse).catch(() => {
    throw new OpenFailure("open udp socket[0] failed");
  });
  let rtcp: dgram.Socket | null = null;
  try {
    rtcp = await bindUdp(ip, port + 1, reuse).catch(() => {
      throw new OpenFailure("open udp socket[1] failed");
    });
    for (const [i, p] of [port, port + 1].entries()) {
      const probe = await listenTcp(ip, p).catch(() => {
        throw new OpenFailure(`listen tcp socket[${i}] failed`);
      });
      await new Promise<void>((r) => probe.close(() => r()));
    }
    return [rtp, rtcp];
  } catch (err) {
    closeUdp(rtp);
    closeUdp(rtcp);
    throw err;
  }
}
