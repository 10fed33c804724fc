/**
 * "Already exists" verdicts counted for the overview: failed opens
 * (`rtp.open_failed`) per cause, per node, per time bucket, plus totals and
 * the latest verdicts with their evidence. Pure: the route reads the events.
 */
import type { EventSource, PortscopeEvent } from "../events/types";
import type { Cause } from "./already-exists";

export const VERDICT_CAUSES = ["a", "b", "c", "d", "e", "f", "unknown"] as const satisfies readonly Cause[];

/** Per cause, plus `other`: failed opens that were no conflict (wrong secret, empty pool, ...) and carry no verdict. */
export type CauseCounts = Record<Cause | "other", number>;

export interface DiagnosisBucket extends CauseCounts {
  /** Bucket start, epoch ms, a multiple of bucketMs. */
  t: number;
  nodeId: string;
}

export interface RecentVerdict {
  eventId: number;
  nodeId: string;
  key: string | null;
  at: number;
  cause: Cause;
  title: string;
  fix: string;
  evidence: Record<string, unknown>;
  source: EventSource;
}

export interface DiagnosisStats {
  from: number;
  to: number;
  bucketMs: number;
  buckets: DiagnosisBucket[];
  totals: CauseCounts & { all: number };
  recent: RecentVerdict[];
}

export interface StatsWindow {
  from: number;
  /** Exclusive. */
  to: number;
  bucketMs: number;
  /** Nodes that get (empty) buckets even without a failure in the window. */
  nodeIds?: string[];
  recentLimit?: number;
}

const emptyCounts = (): CauseCounts => ({ a: 0, b: 0, c: 0, d: 0, e: 0, f: 0, unknown: 0, other: 0 });

/** The verdict an event carries, or null (a failure that needed none, or a payload of another shape). */
export function verdictOf(e: PortscopeEvent): { cause: Cause; title: string; fix: string; evidence: Record<string, unknown> } | null {
  const v = e.payload.verdict;
  if (!v || typeof v !== "object") return null;
  const { cause, title, fix, evidence } = v as Record<string, unknown>;
  const known = (VERDICT_CAUSES as readonly string[]).includes(String(cause)) ? (cause as Cause) : "unknown";
  return {
    cause: known,
    title: typeof title === "string" ? title : "",
    fix: typeof fix === "string" ? fix : "",
    evidence: evidence && typeof evidence === "object" ? (evidence as Record<string, unknown>) : {},
  };
}

/** Dense buckets (every bucket of the window for every node seen or named), sorted by time, then node. */
export function verdictStats(events: PortscopeEvent[], w: StatsWindow): DiagnosisStats {
  const first = Math.floor(w.from / w.bucketMs) * w.bucketMs;
  const byNode = new Map<string, Map<number, DiagnosisBucket>>();
  const bucketsOf = (nodeId: string) => {
    let m = byNode.get(nodeId);
    if (!m) {
      m = new Map();
      for (let t = first; t < w.to; t += w.bucketMs) m.set(t, { t, nodeId, ...emptyCounts() });
      byNode.set(nodeId, m);
    }
    return m;
  };
  for (const id of w.nodeIds ?? []) bucketsOf(id);
  const totals = { ...emptyCounts(), all: 0 };
  const verdicts: RecentVerdict[] = [];
  for (const e of events) {
    if (e.kind !== "rtp.open_failed" || e.at < w.from || e.at >= w.to) continue;
    const v = verdictOf(e);
    const slot: Cause | "other" = v ? v.cause : "other";
    const bucket = bucketsOf(e.nodeId).get(Math.floor(e.at / w.bucketMs) * w.bucketMs);
    if (bucket) bucket[slot]++;
    totals[slot]++;
    totals.all++;
    if (v) verdicts.push({ eventId: e.id, nodeId: e.nodeId, key: e.key, at: e.at, source: e.source, ...v });
  }
  const buckets = [...byNode.values()].flatMap((m) => [...m.values()]).sort((x, y) => x.t - y.t || x.nodeId.localeCompare(y.nodeId));
  const recent = verdicts.sort((x, y) => y.at - x.at || y.eventId - x.eventId).slice(0, w.recentLimit ?? 20);
  return { from: w.from, to: w.to, bucketMs: w.bucketMs, buckets, totals, recent };
}
