/**
 * Retry delays: exponential with "equal jitter" (half the step fixed, half
 * random), so retries of many deliveries spread out yet each still waits
 * longer than the last step's half. Pure.
 */
export function retryDelayMs(attempt: number, policy: { baseDelayMs: number; maxDelayMs: number }, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}
