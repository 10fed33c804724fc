/** The ZLM secret travels in the query string; it must never reach an error, a log or a browser. */
export function redactSecretInUrl(text: string): string {
  return text.replace(/([?&]secret=)[^&#\s"]*/gi, "$1***");
}

export function redactSecretValue(text: string, secret: string): string {
  return secret ? text.split(secret).join("***") : text;
}
