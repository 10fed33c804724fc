/**
 * ZLM puts `api.secret` in clear text in on_server_started and getServerConfig
 * (fixtures README, behaviour 13). Nothing that holds a secret may reach the
 * event log, the SSE stream or a browser.
 */
const SECRET_KEY = /secret|password|passwd|token/i;
const SECRET_IN_URL = /([?&](?:secret|token)=)[^&#\s"]*/gi;

export function redactSecrets<T>(value: T): T {
  return redact(value, 0) as T;
}

function redact(value: unknown, depth: number): unknown {
  if (depth > 20) return value;
  if (typeof value === "string") return value.replace(SECRET_IN_URL, "$1***");
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = SECRET_KEY.test(k) && (typeof v === "string" || typeof v === "number") ? "***" : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}

/** For raw text that could not be parsed (a rejected hook's excerpt): masks `"…secret…": "value"` pairs too. */
export function redactSecretsInText(text: string): string {
  return text.replace(SECRET_IN_URL, "$1***").replace(/("[^"]*(?:secret|password|passwd|token)[^"]*"\s*:\s*)("(?:[^"\\]|\\.)*"|[^,}\s]+)/gi, '$1"***"');
}
