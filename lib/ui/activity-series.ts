/**
 * Per-minute activity series for the overview charts, computed from sessions:
 * servers open (waiting / receiving) at each bucket's end, timeouts and open
 * failures per bucket. Pure, tested.
 */
import type { PortSession } from "../lifecycle/types";
import { stateAt } from "../lifecycle/state-at";

export interface ActivityPoint {
  t: number;
  waiting: number;
  receiving: number;
  other: number;
  timeouts: number;
  openFailures: number;
}

export function activitySeries(sessions: PortSession[], from: number, to: number, bucketMs = 60_000): ActivityPoint[] {
  const start = Math.floor(from / bucketMs) * bucketMs;
  const points: ActivityPoint[] = [];
  for (let t = start; t < to; t += bucketMs) points.push({ t, waiting: 0, receiving: 0, other: 0, timeouts: 0, openFailures: 0 });
  const idx = (at: number) => Math.floor((at - start) / bucketMs);
  for (const s of sessions) {
    if (s.timedOutAt !== null && s.timedOutAt >= start && s.timedOutAt < to) points[idx(s.timedOutAt)].timeouts++;
    if (s.state === "open_failed" && s.openedAt >= start && s.openedAt < to) points[idx(s.openedAt)].openFailures++;
    for (const p of points) {
      const st = stateAt(s, Math.min(p.t + bucketMs - 1, to));
      if (st === "waiting") p.waiting++;
      else if (st === "receiving") p.receiving++;
      else if (st) p.other++;
    }
  }
  return points;
}
