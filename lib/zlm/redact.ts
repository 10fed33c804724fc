/**
 * The one redaction module. ZLM's secret travels in query strings, and ZLM puts
 * `api.secret` in clear text in on_server_started and getServerConfig (fixtures
 * README, behaviour 13): nothing that holds a secret may reach an error, a log,
 * the event log, the SSE stream or a browser.
 */
/** Masks `secret=` in a URL or any text quoting one. */
export function redactSecretInUrl(text: string): string {
  return text.replace(/([?&]secret=)[^&#\s"]*/gi, "$1***");
}

/** Masks the secret as given and as it is spelled inside a URL (percent- or form-encoded). */
export function redactSecretValue(text: string, secret: string): string {
  if (!secret) return text;
  const spellings = new Set([secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)]);
  let out = text;
  for (const s of spellings) out = out.split(s).join("***");
  return out;
}

/**
 * A copy of a thrown value fit to keep as an error's `cause`: fetch and its
 * wrappers quote the request URL (secret included) in messages, stacks and
 * extra fields, so only the name, code and scrubbed texts are kept, all the way down.
 */
export function scrubbedCause(err: unknown, scrub: (text: string) => string, depth = 0): unknown {
  if (err === undefined || err === null || depth > 5) return undefined;
  if (!(err instanceof Error)) return scrub(typeof err === "string" ? err : String(err));
  const copy = new Error(scrub(err.message));
  copy.name = err.name;
  copy.stack = scrub(err.stack ?? `${err.name}: ${err.message}`);
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" || typeof code === "number") Object.assign(copy, { code });
  const inner = scrubbedCause((err as { cause?: unknown }).cause, scrub, depth + 1);
  if (inner !== undefined) Object.assign(copy, { cause: inner });
  return copy;
}

const SECRET_KEY = /secret|password|passwd|token/i;
const SECRET_IN_URL = /([?&](?:secret|token)=)[^&#\s"]*/gi;

/**
 * Returns `value` itself when nothing in it needs masking (the usual hook body), and
 * copies only the objects and arrays on the way to a masked value: this runs for every
 * hook and tapped call, and the full copy it used to make was a tenth of a hook's cost.
 * Callers treat payloads as immutable.
 */
export function redactSecrets<T>(value: T): T {
  return redact(value, 0) as T;
}

/** Key names repeat across hooks, so the key test is remembered (bounded: keys come from outside). */
const secretKeyCache = new Map<string, boolean>();

function isSecretKey(k: string): boolean {
  let hit = secretKeyCache.get(k);
  if (hit === undefined) {
    hit = SECRET_KEY.test(k);
    if (secretKeyCache.size >= 10_000) secretKeyCache.clear();
    secretKeyCache.set(k, hit);
  }
  return hit;
}

function redact(value: unknown, depth: number): unknown {
  if (depth > 20) return value;
  // A secret in a URL needs "secret=" or "token=": no "=" means nothing to scan for.
  if (typeof value === "string") return value.indexOf("=") < 0 ? value : value.replace(SECRET_IN_URL, "$1***");
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v = redact(value[i], depth + 1);
      if (v !== value[i]) (out ??= value.slice())[i] = v;
    }
    return out ?? value;
  }
  if (value && typeof value === "object") {
    let out: Record<string, unknown> | null = null;
    const src = value as Record<string, unknown>;
    for (const k of Object.keys(src)) {
      const v = src[k];
      const masked = isSecretKey(k) && (typeof v === "string" || typeof v === "number") ? "***" : redact(v, depth + 1);
      if (masked !== v) (out ??= { ...src })[k] = masked;
    }
    return out ?? value;
  }
  return value;
}

/** For raw text that could not be parsed (a rejected hook's excerpt): masks `"…secret…": "value"` pairs too. */
export function redactSecretsInText(text: string): string {
  return text.replace(SECRET_IN_URL, "$1***").replace(/("[^"]*(?:secret|password|passwd|token)[^"]*"\s*:\s*)("(?:[^"\\]|\\.)*"|[^,}\s]+)/gi, '$1"***"');
}
