/**
 * The ZLM secret travels in the query string and comes back in clear text in
 * getServerConfig / on_server_started (`api.secret`). It must never reach an
 * error, a log or a browser. Pure.
 */
const MASK = "***";
/** `secret=…` / `api.secret=…` in a URL, a query, a form body or free text. */
const SECRET_PARAM = /((?:^|[?&;\s"'(,])(?:[\w-]+\.)*secret=)[^&#\s"';,)]*/gi;
/** `"secret": "…"` / `"api.secret" : "…"` in JSON text. */
const SECRET_JSON = /("(?:[\w-]+\.)*secret"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;

/** Masks every `secret=` parameter value, whatever the secret is. */
export function redactSecretInUrl(text: string): string {
  return text.replace(SECRET_PARAM, `$1${MASK}`);
}

/** Masks a known secret wherever it appears, raw or URL-encoded. */
export function redactSecretValue(text: string, secret: string): string {
  if (!secret) return text;
  let out = text.split(secret).join(MASK);
  const encoded = encodeURIComponent(secret);
  if (encoded !== secret) out = out.split(encoded).join(MASK);
  return out;
}

/** Everything at once: parameters, JSON members, and the known value if given. */
export function redactSecret(text: string, secret?: string): string {
  const masked = redactSecretInUrl(text).replace(SECRET_JSON, `$1"${MASK}"`);
  return secret ? redactSecretValue(masked, secret) : masked;
}
