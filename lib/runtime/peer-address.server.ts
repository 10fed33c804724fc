import "server-only";
import http from "node:http";
import { PEER_HEADER } from "../auth/identify";

const KEY = Symbol.for("portscope.peerStamp");
type Holder = { [KEY]?: true };

/**
 * Next's route handlers never see the socket, and Next copies a client's own
 * X-Forwarded-For through unchanged. So every HTTP request this process serves
 * is stamped, before Next reads it, with the socket's peer address under
 * PEER_HEADER, overwriting any value a client sent under that name. Routes
 * and proxy.ts then derive the client address from it (lib/auth/identify.ts).
 */
export function stampPeerAddresses(): void {
  const g = globalThis as Holder;
  if (g[KEY]) return;
  g[KEY] = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const req = args[0] as http.IncomingMessage;
      req.headers[PEER_HEADER] = req.socket?.remoteAddress ?? "";
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
}
