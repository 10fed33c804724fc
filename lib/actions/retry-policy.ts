/**
 * When to retry a ZLM call: exponential backoff with full jitter (a random
 * delay between 0 and the ceiling), so many platforms retrying the same
 * failure do not come back in lock-step. Pure: randomness is injected.
 */
import type { ZlmErrorKind } from "../zlm/errors";

export interface RetryPolicy {
  baseMs: number;
  capMs: number;
  deadlineMs: number;
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 250, capMs: 4000, deadlineMs: 30_000, maxAttempts: 20 };

export function backoffCeilingMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
}

export function nextRetryDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  return Math.floor(random() * backoffCeilingMs(policy, attempt));
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: "permanent" | "conflict" | "deadline" | "max_attempts" };

export function decideRetry(input: { policy: RetryPolicy; attempt: number; elapsedMs: number; kind: ZlmErrorKind; retryConflicts: boolean; random: () => number }): RetryDecision {
  const { policy, attempt, elapsedMs, kind } = input;
  if (kind === "permanent") return { retry: false, reason: "permanent" };
  if (kind === "conflict" && !input.retryConflicts) return { retry: false, reason: "conflict" };
  if (attempt >= policy.maxAttempts) return { retry: false, reason: "max_attempts" };
  const delayMs = nextRetryDelay(policy, attempt, input.random);
  if (elapsedMs + delayMs > policy.deadlineMs) return { retry: false, reason: "deadline" };
  return { retry: true, delayMs };
}
