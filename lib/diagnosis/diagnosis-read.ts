/**
 * The read side of `GET /api/diagnosis`: its query schema, and the failed
 * opens of the window read from the log and counted by verdict-stats.
 */
import { z } from "zod";
import type { EventStore, PortscopeEvent } from "../events/types";
import { verdictStats, type DiagnosisStats } from "./verdict-stats";

export const MAX_BUCKETS = 2000;
const PAGE = 10_000;
/** A window this size is read at most; past it the counts would be partial, so the route refuses. */
export const MAX_FAILED_OPENS = 200_000;

/** Epoch ms, or an ISO date pasted into the URL. */
const time = z.union([z.coerce.number().int().nonnegative(), z.iso.datetime({ offset: true }).transform((v) => Date.parse(v))]);

export const diagnosisQuerySchema = z
  .object({
    node: z.string().min(1).max(200).optional(),
    from: time.optional(),
    to: time.optional(),
    bucketMs: z.coerce.number().int().min(1000).max(86_400_000).default(60_000),
  })
  .strict();
export type DiagnosisQueryInput = z.input<typeof diagnosisQuerySchema>;

/** Fills the defaults (the last hour up to now) and checks the window: from < to, at most MAX_BUCKETS buckets. */
export function diagnosisWindow(now: number) {
  return diagnosisQuerySchema.transform((q, ctx) => {
    const to = q.to ?? now;
    const from = q.from ?? to - 3_600_000;
    if (from >= to) ctx.addIssue({ code: "custom", path: ["from"], message: "must be before to" });
    else if ((to - from) / q.bucketMs > MAX_BUCKETS) ctx.addIssue({ code: "custom", path: ["bucketMs"], message: `the window holds more than ${MAX_BUCKETS} buckets: use a wider bucketMs or a shorter window` });
    return { node: q.node, from, to, bucketMs: q.bucketMs };
  });
}
export type DiagnosisQuery = z.output<ReturnType<typeof diagnosisWindow>>;

export async function readDiagnosis(store: Pick<EventStore, "query">, q: DiagnosisQuery): Promise<DiagnosisStats & { truncated: boolean }> {
  const events: PortscopeEvent[] = [];
  let afterId: number | undefined;
  for (;;) {
    const page = await store.query({ nodeId: q.node, kinds: ["rtp.open_failed"], from: q.from, to: q.to, afterId, order: "asc", limit: PAGE });
    events.push(...page);
    if (page.length < PAGE || events.length >= MAX_FAILED_OPENS) break;
    afterId = page[page.length - 1].id;
  }
  return { ...verdictStats(events, { from: q.from, to: q.to, bucketMs: q.bucketMs, nodeIds: q.node ? [q.node] : [] }), truncated: events.length >= MAX_FAILED_OPENS };
}
