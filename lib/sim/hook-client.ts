import http from "node:http";
import https from "node:https";
import { toZlmJson, type ZlmJson } from "./zlm-json";

export type HookBody = { [key: string]: ZlmJson | undefined };

export interface HookReply {
  /** True when ZLM would count the answer as a success: HTTP 200, JSON, integer code 0. */
  ok: boolean;
  /** The parsed answer when it was JSON with an integer code (also for code != 0, a refusal). */
  json: Record<string, unknown> | null;
  /** Why the last attempt failed, for logs. */
  error: string | null;
}

export interface HookSettings {
  enabled: boolean;
  url: string;
  timeoutSec: number;
  retry: number;
  retryDelaySec: number;
  mediaServerId: string;
  /** ZLM's server name, sent as User-Agent. */
  userAgent?: string;
}

/**
 * ZLM's do_http_hook: POST the styled JSON body with `mediaServerId` and a
 * process-wide `hook_index` taken anew for every attempt; retry only on
 * transport errors, timeouts, non-200 status, unparsable JSON or a
 * non-integer code. A JSON answer with an integer code != 0 is final.
 */
export class HookClient {
  private index = 0;
  private readonly inFlight = new Set<http.ClientRequest>();
  private stopped = false;

  reset(): void {
    this.index = 0;
    this.stopped = false;
  }

  stop(): void {
    this.stopped = true;
    for (const req of this.inFlight) req.destroy();
    this.inFlight.clear();
  }

  /** Sends one hook (with retries). Resolves, never rejects. Null when the hook is not configured. */
  async send(settings: HookSettings, body: HookBody): Promise<HookReply | null> {
    if (!settings.enabled || !settings.url || this.stopped) return null;
    let last: HookReply = { ok: false, json: null, error: "not sent" };
    for (let attempt = 0; attempt <= settings.retry; attempt++) {
      if (attempt > 0) await sleep(settings.retryDelaySec * 1000);
      if (this.stopped) return last;
      const full = { ...body, hook_index: this.index++, mediaServerId: settings.mediaServerId };
      last = await this.post(settings, full);
      if (last.ok || last.json !== null) return last;
    }
    return last;
  }

  private post(settings: HookSettings, body: HookBody): Promise<HookReply> {
    return new Promise((resolve) => {
      let url: URL;
      try {
        url = new URL(settings.url);
      } catch {
        resolve({ ok: false, json: null, error: `bad hook url ${settings.url}` });
        return;
      }
      const payload = Buffer.from(toZlmJson(body), "utf8");
      const headers = hookRequestHeaders(url, payload.length, settings.userAgent, body.vhost);
      const mod = url.protocol === "https:" ? https : http;
      // ZLM opens a new connection for every hook (a new HttpRequester) though it says keep-alive.
      const req = mod.request(url, { method: "POST", headers, agent: false, setHost: false });
      this.inFlight.add(req);
      const done = (r: HookReply) => {
        this.inFlight.delete(req);
        resolve(r);
      };
      req.setTimeout(settings.timeoutSec * 1000, () => req.destroy(new Error("timeout")));
      req.on("error", (err) => done({ ok: false, json: null, error: err.message }));
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", (err) => done({ ok: false, json: null, error: err.message }));
        res.on("end", () => {
          req.socket?.end(); // the requester is dropped after its callback, and its socket with it
          if (res.statusCode !== 200) {
            done({ ok: false, json: null, error: `http status ${res.statusCode}` });
            return;
          }
          let parsed: unknown;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
          } catch {
            done({ ok: false, json: null, error: "answer is not JSON" });
            return;
          }
          const obj = parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
          if (!obj || typeof obj.code !== "number" || !Number.isInteger(obj.code)) {
            done({ ok: false, json: null, error: "answer has no integer code" });
            return;
          }
          done({ ok: obj.code === 0, json: obj, error: obj.code === 0 ? null : `code ${obj.code}` });
        });
      });
      req.end(payload);
    });
  }
}

/** HttpClient's request headers, in its case-insensitive map's (sorted) order, as a real build sent them. */
export function hookRequestHeaders(url: URL, bodyBytes: number, userAgent: string | undefined, vhost: ZlmJson | undefined): string[] {
  const h: [string, string][] = [
    ["Accept", "*/*"],
    ["Accept-Language", "zh-CN,zh;q=0.8"],
    ["Connection", "keep-alive"],
    ["Content-Length", String(bodyBytes)],
    ["Content-Type", "application/json"],
    ["Host", url.host],
  ];
  if (userAgent) h.push(["User-Agent", userAgent]);
  if (typeof vhost === "string" && vhost) h.push(["X-VHOST", vhost]);
  return h.flat();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * `--hook-url BASE` sets every hook to BASE/<hook_name>, keeping BASE's query
 * string (e.g. a token): http://h:3000/api/hooks?token=t ->
 * http://h:3000/api/hooks/on_publish?token=t.
 */
export function hookUrlFor(base: string, hookName: string): string {
  const url = new URL(base);
  url.pathname = url.pathname.replace(/\/+$/, "") + "/" + hookName;
  return url.toString();
}
