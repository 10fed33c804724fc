/** The ZLM secret travels in the query string; it must never reach an error, a log or a browser. */
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
