import type { z } from "zod";
import { formatIssues } from "./read-params";

/** JSON answers with the status and error shape every route uses. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers } });
}

export function invalidInput(error: z.ZodError): Response {
  return jsonResponse({ error: "invalid_input", message: "The request does not match what this endpoint accepts.", issues: formatIssues(error) }, 422);
}

export function notFound(message: string): Response {
  return jsonResponse({ error: "not_found", message }, 404);
}

/** Reads a request body up to `limit` bytes; null when larger (the caller answers 413). */
export async function readLimitedBody(request: Request, limit: number): Promise<{ body: string | null; bytes: number }> {
  if (!request.body) return { body: "", bytes: 0 };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > limit) {
      await reader.cancel();
      return { body: null, bytes };
    }
    chunks.push(value);
  }
  return { body: Buffer.concat(chunks).toString("utf8"), bytes };
}

/**
 * A JSON request body, or the 400 to answer. `emptyAs` lets a route take an
 * empty body as a value (the alerts test takes `{}`).
 */
export async function readJsonBody(request: Request, opts: { emptyAs?: unknown } = {}): Promise<{ body: unknown } | { response: Response }> {
  try {
    const text = await request.text();
    if (text.trim() === "" && "emptyAs" in opts) return { body: opts.emptyAs };
    return { body: JSON.parse(text) as unknown };
  } catch {
    return { response: jsonResponse({ error: "invalid_json", message: "The body must be JSON." }, 400) };
  }
}
