import "server-only";
import http from "node:http";
import https from "node:https";

/**
 * One POST to a receiver with node:http(s), not fetch: measured here, a fetch
 * costs 3-4x the CPU of http.request per delivery (bench/notify-ingest.ts),
 * and Next wraps the global fetch in the server process. Keep-alive agents
 * with a few sockets, so retries to one receiver reuse its connection. The
 * whole exchange is bounded by `timeoutMs`; the answer's first 4 KB are kept.
 */
const agents = { "http:": new http.Agent({ keepAlive: true, maxSockets: 4 }), "https:": new https.Agent({ keepAlive: true, maxSockets: 4 }) };
const KEEP_BYTES = 4096;

export class DeliveryError extends Error {
  override name = "DeliveryError";
}

export function postJson(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    if (u.protocol !== "http:" && u.protocol !== "https:") return reject(new DeliveryError(`unsupported protocol ${u.protocol}`));
    const mod = u.protocol === "https:" ? https : http;
    const req = mod.request(u, { method: "POST", agent: agents[u.protocol], headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      res.on("data", (c: Buffer) => {
        if (kept < KEEP_BYTES) chunks.push(c);
        kept += c.length;
      });
      res.on("end", () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8").slice(0, KEEP_BYTES) });
      });
      res.on("error", fail);
    });
    const timer = setTimeout(() => req.destroy(new DeliveryError(`no answer within ${timeoutMs} ms`)), timeoutMs);
    function fail(err: Error) {
      clearTimeout(timer);
      reject(err);
    }
    req.on("error", fail);
    req.end(body);
  });
}
