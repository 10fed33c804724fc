import "server-only";
import http from "node:http";
import https from "node:https";

/**
 * Sends one tapped call on to ZLM over a keep-alive pool. ZLM keeps API
 * connections open (http.keepAliveSecond, 30 s by default) except after a
 * thrown error, so most calls skip the TCP handshake a fresh `fetch` pays.
 */
export interface ForwardRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Buffer | null;
  timeoutMs: number;
}

export interface ForwardAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

// Idle sockets go well before ZLM's own 30 s keep-alive ends, so a reused one is rarely already closed.
const AGENT_OPTIONS = { keepAlive: true, keepAliveMsecs: 1000, maxSockets: 256, maxFreeSockets: 32, timeout: 10_000, scheduling: "lifo" as const };
const agents = { http: new http.Agent(AGENT_OPTIONS), https: new https.Agent(AGENT_OPTIONS) };

export function forwardToZlm(req: ForwardRequest): Promise<ForwardAnswer> {
  return send(req).catch((err: unknown) => {
    // A pooled socket ZLM closed just as we reused it: nothing reached ZLM, so one more try is safe.
    if (err instanceof ReusedSocketReset) return send(req);
    throw err;
  });
}

class ReusedSocketReset extends Error {}

/** ZLM's JSON keys are sorted, so a success answer starts with its code (`{\n\t"code" : 0`). */
const ZLM_OK = /^\{\s*"code"\s*:\s*0\s*[,}]/;

function send(req: ForwardRequest): Promise<ForwardAnswer> {
  const url = new URL(req.url);
  const secure = url.protocol === "https:";
  const withBody = req.body !== null && req.method !== "GET" && req.method !== "HEAD";
  const headers: Record<string, string | number> = { ...req.headers };
  if (withBody) headers["content-length"] = req.body!.length;
  return new Promise((resolve, reject) => {
    const r = (secure ? https : http).request(url, { method: req.method, headers, agent: secure ? agents.https : agents.http, timeout: req.timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const body = Buffer.concat(chunks);
        // ZLM closes the connection after most error answers while still saying keep-alive (docs/real-zlm-check.md):
        // never pool a socket after an error, so a non-idempotent open is not sent into a closing socket and retried.
        if (!ZLM_OK.test(body.subarray(0, 64).toString("utf8"))) res.socket?.destroy();
        resolve({ status: res.statusCode ?? 502, headers: res.headers, body });
      });
      res.on("error", reject);
    });
    r.on("timeout", () => r.destroy(new Error(`ZLM did not answer within ${req.timeoutMs} ms`)));
    r.on("error", (err: NodeJS.ErrnoException) => reject(r.reusedSocket && err.code === "ECONNRESET" ? new ReusedSocketReset(err.message) : err));
    r.end(withBody ? req.body : undefined);
  });
}
