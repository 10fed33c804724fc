/**
 * Query-string schemas of the read API. Routes parse with these and answer
 * 422 with the issues; nothing unparsed reaches lib/.
 */
import { z } from "zod";
import { EVENT_KINDS } from "../events/types";

const optionalInt = z.coerce.number().int().min(0).optional();
/** Epoch ms, or an ISO date the support engineer pasted into the URL. */
const time = z
  .union([z.coerce.number().int().nonnegative(), z.string().datetime({ offset: true })])
  .transform((v) => (typeof v === "number" ? v : Date.parse(v)))
  .optional();

export const SESSION_STATES = ["waiting", "receiving", "paused", "media_stopped", "timed_out", "closed", "released", "open_failed"] as const;

export const sessionsQuerySchema = z
  .object({
    node: z.string().min(1).max(200).optional(),
    stream: z.string().min(1).max(500).optional(),
    /** Free search: a stream id (substring), an SSRC (decimal or 0x hex) or a port. */
    q: z.string().min(1).max(200).optional(),
    key: z.string().min(1).max(700).optional(),
    port: z.coerce.number().int().min(0).max(65535).optional(),
    state: z.enum(SESSION_STATES).optional(),
    live: z.enum(["1", "0", "true", "false"]).transform((v) => v === "1" || v === "true").optional(),
    from: time,
    to: time,
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: optionalInt.default(0),
  })
  .strict();
export type SessionsQuery = z.infer<typeof sessionsQuerySchema>;

export const eventsQuerySchema = z
  .object({
    node: z.string().min(1).max(200).optional(),
    key: z.string().min(1).max(700).optional(),
    port: z.coerce.number().int().min(0).max(65535).optional(),
    kind: z.enum(EVENT_KINDS).optional(),
    from: time,
    to: time,
    after: optionalInt,
    limit: z.coerce.number().int().min(1).max(10_000).default(500),
    order: z.enum(["asc", "desc"]).default("asc"),
    format: z.enum(["json", "csv", "ndjson"]).default("json"),
  })
  .strict();
export type EventsQuery = z.infer<typeof eventsQuerySchema>;

export const sseQuerySchema = z
  .object({
    after: optionalInt,
    node: z.string().min(1).max(200).optional(),
    key: z.string().min(1).max(700).optional(),
  })
  .strict();

export const anomaliesQuerySchema = z
  .object({
    node: z.string().min(1).max(200).optional(),
    active: z.enum(["1", "0", "true", "false"]).transform((v) => v === "1" || v === "true").optional(),
  })
  .strict();

export const incidentsQuerySchema = z
  .object({
    node: z.string().min(1).max(200).optional(),
    key: z.string().min(1).max(700).optional(),
    state: z.enum(["open", "acknowledged", "silenced", "resolved"]).optional(),
  })
  .strict();

export function searchParamsObject(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) out[k] = v;
  return out;
}

export function formatIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}
