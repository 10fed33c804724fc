/**
 * When to poll a node next. Pure, so the backoff is unit-tested without timers:
 * the normal interval while the node answers, doubling up to a cap while it
 * is down, with jitter so many nodes do not poll in lock-step.
 */
export interface PollSchedule {
  intervalMs: number;
  /** Used instead while a release is awaited (a timed-out or closed server not yet gone from the listing). */
  fastIntervalMs?: number;
  maxBackoffMs: number;
  jitter: number;
}

export const DEFAULT_POLL_SCHEDULE: PollSchedule = { intervalMs: 2000, fastIntervalMs: 500, maxBackoffMs: 30_000, jitter: 0.1 };

export function nextPollDelay(schedule: PollSchedule, consecutiveFailures: number, random: () => number = Math.random, awaitingRelease = false): number {
  const interval = awaitingRelease && schedule.fastIntervalMs ? Math.min(schedule.fastIntervalMs, schedule.intervalMs) : schedule.intervalMs;
  const base = consecutiveFailures === 0 ? interval : Math.min(schedule.maxBackoffMs, schedule.intervalMs * 2 ** consecutiveFailures);
  const spread = base * schedule.jitter;
  return Math.round(base - spread + random() * 2 * spread);
}

/** Config, version and statistics change rarely: read them every Nth cycle. */
export function isSlowCycle(cycle: number, every = 15): boolean {
  return cycle % every === 0;
}
