import "server-only";
import http from "node:http";
import { PEER_HEADER } from "../auth/identify";
import { READS_OWN_PEER_ADDRESS } from "../ingest/zlm-listener.server";

const KEY = Symbol.for("portscope.peerStamp");
type Holder = { [KEY]?: true };

/**
 * Next's route handlers never see the socket, and Next copies a client's own
 * X-Forwarded-For through unchanged. So every HTTP request this process serves
 * is stamped, before Next reads it, with the socket's peer address under
 * PEER_HEADER, overwriting any value a client sent under that name. Routes
 * and proxy.ts then derive the client address from it (lib/auth/identify.ts).
 * Servers marked READS_OWN_PEER_ADDRESS (the lean ZLM listener and tap ports,
 * which read req.socket.remoteAddress where they need it) are left alone.
 */
export function stampPeerAddresses(): void {
  const g = globalThis as Holder;
  if (g[KEY]) return;
  g[KEY] = true;
  const emit = http.Server.prototype.emit;
  // `arguments` rather than rest and spread: this runs for every event of every server in the process.
  http.Server.prototype.emit = function (this: http.Server & { [READS_OWN_PEER_ADDRESS]?: true }, event: string | symbol, req?: unknown) {
    if (event === "request" && !this[READS_OWN_PEER_ADDRESS]) {
      const r = req as http.IncomingMessage;
      r.headers[PEER_HEADER] = r.socket?.remoteAddress ?? "";
    }
    // eslint-disable-next-line prefer-rest-params
    return emit.apply(this, arguments as unknown as Parameters<typeof emit>);
  } as typeof emit;
}
