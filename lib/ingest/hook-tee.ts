/**
 * Forwarding ("tee") of ZLM hooks to the business server ZLM used before
 * Portscope was inserted (e.g. wvp-GB28181-pro). Decisive hooks wait for the
 * upstream's answer within a budget; the rest are forwarded in the background
 * with ZLM's own retry rule (one retry after 3 s).
 */

/** Hooks whose answer changes what ZLM does next. */
export const DECISIVE_HOOKS = new Set([
  "on_publish",
  "on_play",
  "on_stream_none_reader",
  "on_stream_not_found",
  "on_rtsp_realm",
  "on_rtsp_auth",
  "on_http_access",
  "on_shell_login",
]);

export interface UpstreamConfig {
  /** Hook base URL: hooks go to BASE/<hook_name> with BASE's query kept, as ZLM builds them. */
  baseUrl: string;
  /** How long a decisive hook may wait for the upstream before the fallback answer is used. */
  budgetMs: number;
  /** Answer given to ZLM when the upstream fails or is too slow. */
  fallback: Record<string, unknown>;
}

export interface TeeOutcome {
  ok: boolean;
  status: number | null;
  answer: Record<string, unknown> | null;
  ms: number;
  error: string | null;
}

export function upstreamUrl(baseUrl: string, hook: string): string {
  const u = new URL(baseUrl);
  u.pathname = `${u.pathname.replace(/\/+$/, "")}/${hook}`;
  return u.toString();
}

/** ZLM's success rule: HTTP 200, a JSON object, and an integer `code`. */
export function isZlmAcceptableAnswer(status: number, json: unknown): json is Record<string, unknown> {
  return status === 200 && !!json && typeof json === "object" && !Array.isArray(json) && Number.isInteger((json as { code?: unknown }).code);
}

export async function forwardHook(up: UpstreamConfig, hook: string, rawBody: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<TeeOutcome> {
  const started = performance.now();
  try {
    const res = await fetch(upstreamUrl(up.baseUrl, hook), {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: rawBody,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    const ms = performance.now() - started;
    if (!isZlmAcceptableAnswer(res.status, json)) {
      return { ok: false, status: res.status, answer: null, ms, error: `upstream answered HTTP ${res.status} without a JSON integer code` };
    }
    return { ok: true, status: res.status, answer: json, ms, error: null };
  } catch (err) {
    return { ok: false, status: null, answer: null, ms: performance.now() - started, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
}

/** Background forwarding for hooks whose answer ZLM ignores: one retry after `retryDelayMs`, like ZLM. */
export async function forwardWithRetry(up: UpstreamConfig, hook: string, rawBody: string, retryDelayMs = 3000, timeoutMs = 10_000): Promise<TeeOutcome> {
  const first = await forwardHook(up, hook, rawBody, timeoutMs);
  if (first.ok) return first;
  await new Promise((r) => setTimeout(r, retryDelayMs).unref?.());
  return forwardHook(up, hook, rawBody, timeoutMs);
}
