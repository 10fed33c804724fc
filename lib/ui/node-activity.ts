/**
 * Per-node chart series: servers open by state and as a share of the port
 * pool (from sessions), timeouts, and open failures per "already exists"
 * cause (from the diagnosis read API, whose buckets count every refused open,
 * including those that never became a session). Pure, tested.
 */
import type { PortSession } from "../lifecycle/types";
import { activitySeries } from "./activity-series";
import { CAUSES, type CauseKey } from "./cause-palette";

export const POOL_WARN_PCT = 80;

export type FailureBucket = { t: number; nodeId: string } & Partial<Record<CauseKey, number>>;

export interface NodeActivityPoint {
  t: number;
  waiting: number;
  receiving: number;
  other: number;
  timeouts: number;
  /** Servers open at the bucket's end as a percentage of the pool; null when the pool is unknown. */
  poolPct: number | null;
  failures: Record<CauseKey, number>;
}

const emptyCauses = (): Record<CauseKey, number> => Object.fromEntries(CAUSES.map((c) => [c, 0])) as Record<CauseKey, number>;

export function nodeActivity(nodeId: string, sessions: PortSession[], failureBuckets: FailureBucket[], from: number, to: number, bucketMs: number, poolCapacity: number | null): NodeActivityPoint[] {
  const mine = sessions.filter((s) => s.nodeId === nodeId);
  const points = activitySeries(mine, from, to, bucketMs).map((p) => {
    const open = p.waiting + p.receiving + p.other;
    return { t: p.t, waiting: p.waiting, receiving: p.receiving, other: p.other, timeouts: p.timeouts, poolPct: poolCapacity ? Math.round((open / poolCapacity) * 1000) / 10 : null, failures: emptyCauses() };
  });
  if (points.length === 0) return points;
  const start = points[0].t;
  for (const b of failureBuckets) {
    if (b.nodeId !== nodeId) continue;
    const i = Math.floor((b.t - start) / bucketMs);
    if (i < 0 || i >= points.length) continue;
    for (const c of CAUSES) points[i].failures[c] += b[c] ?? 0;
  }
  return points;
}
