import type { IncomingHttpHeaders } from "node:http";

/**
 * ZLM reads every API parameter through one case-insensitive lookup: the body
 * merged with the URL query (query wins), then the query, then the request
 * headers (so `secret:` as a header works). JSON bodies contribute their
 * top-level members as strings; the first nested object or array stops the
 * conversion, as in ZLM's getAllArgs.
 */
export class ApiArgs {
  private readonly merged = new Map<string, string>();
  private readonly headers = new Map<string, string>();

  constructor(query: URLSearchParams, body: Map<string, string>, headers: IncomingHttpHeaders) {
    for (const [k, v] of body) this.merged.set(k.toLowerCase(), v);
    for (const [k, v] of query) this.merged.set(k.toLowerCase(), v);
    for (const [k, v] of Object.entries(headers)) {
      if (typeof v === "string") this.headers.set(k.toLowerCase(), v);
      else if (Array.isArray(v) && v.length > 0) this.headers.set(k.toLowerCase(), v[0]);
    }
  }

  /** The raw string value, or undefined when the parameter is absent everywhere. */
  get(name: string): string | undefined {
    const key = name.toLowerCase();
    return this.merged.get(key) ?? this.headers.get(key);
  }

  /** ZLM's CHECK_ARGS treats an empty value as missing. */
  has(name: string): boolean {
    const v = this.get(name);
    return v !== undefined && v !== "";
  }

  str(name: string, fallback = ""): string {
    const v = this.get(name);
    return v === undefined || v === "" ? fallback : v;
  }

  /** Signed integer by stream extraction: leading digits, garbage becomes 0. */
  int(name: string, fallback = 0): number {
    const v = this.get(name);
    if (v === undefined || v === "") return fallback;
    const m = /^\s*([+-]?\d+)/.exec(v);
    if (!m) return 0;
    const n = Number(m[1]);
    return Number.isSafeInteger(n) && Math.abs(n) <= 2 ** 31 - 1 ? n : 0;
  }

  /**
   * Unsigned integer of `bits` width by stream extraction: out of range or
   * garbage reads as 0, a negative value wraps (observed: port=-1 bound 65535,
   * port=70000 and port=abc gave a random port).
   */
  uint(name: string, bits: 16 | 32, fallback = 0): number {
    const v = this.get(name);
    if (v === undefined || v === "") return fallback;
    const m = /^\s*([+-]?\d+)/.exec(v);
    if (!m) return 0;
    const n = Number(m[1]);
    const max = 2 ** bits;
    if (!Number.isSafeInteger(n) || n >= max || n <= -max) return 0;
    return n < 0 ? max + n : n;
  }

  bool(name: string, fallback = false): boolean {
    const v = this.get(name);
    if (v === undefined || v === "") return fallback;
    const lower = v.trim().toLowerCase();
    if (lower === "true") return true;
    if (lower === "false") return false;
    return this.int(name) !== 0;
  }
}

/** Parses a request body the way ZLM does for form and JSON content types. */
export function parseBody(contentType: string | undefined, body: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!body) return out;
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (type === "application/x-www-form-urlencoded") {
    for (const [k, v] of new URLSearchParams(body)) out.set(k, v);
  } else if (type === "application/json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return out;
    }
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      for (const [k, v] of Object.entries(parsed)) {
        if (v !== null && typeof v === "object") break;
        out.set(k, v === null ? "" : String(v));
      }
    }
  }
  return out;
}
