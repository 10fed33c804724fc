import { describe, expect, it } from "vitest";
import { backoffCeilingMs, decideRetry, DEFAULT_RETRY_POLICY as P, nextRetryDelay } from "./retry-policy";

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("retry policy", () => {
  it("doubles the ceiling per attempt up to the cap", () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffCeilingMs(P, a))).toEqual([250, 500, 1000, 2000, 4000, 4000]);
  });
  it("jitters between 0 and the ceiling", () => {
    expect(nextRetryDelay(P, 3, () => 0)).toBe(0);
    expect(nextRetryDelay(P, 3, () => 0.999999)).toBe(999);
  });
  it("stops at once on a permanent error", () => {
    expect(decideRetry({ policy: P, attempt: 1, elapsedMs: 0, kind: "permanent", retryConflicts: true, random: () => 0.5 })).toEqual({ retry: false, reason: "permanent" });
  });
  it("retries conflicts only when asked to", () => {
    expect(decideRetry({ policy: P, attempt: 1, elapsedMs: 0, kind: "conflict", retryConflicts: false, random: () => 0.5 })).toEqual({ retry: false, reason: "conflict" });
    expect(decideRetry({ policy: P, attempt: 1, elapsedMs: 0, kind: "conflict", retryConflicts: true, random: () => 0.5 })).toEqual({ retry: true, delayMs: 125 });
  });
  it("retries transient errors until the attempts or the deadline run out", () => {
    expect(decideRetry({ policy: P, attempt: 2, elapsedMs: 100, kind: "transient", retryConflicts: false, random: () => 0.5 })).toEqual({ retry: true, delayMs: 250 });
    expect(decideRetry({ policy: P, attempt: 20, elapsedMs: 0, kind: "transient", retryConflicts: false, random: () => 0.5 })).toEqual({ retry: false, reason: "max_attempts" });
    expect(decideRetry({ policy: P, attempt: 6, elapsedMs: 29_000, kind: "transient", retryConflicts: false, random: () => 0.5 })).toEqual({ retry: false, reason: "deadline" });
  });
  it("never sleeps past the deadline in a whole retry loop", () => {
    const random = mulberry32(42);
    let elapsed = 0;
    for (let attempt = 1; ; attempt++) {
      const d = decideRetry({ policy: P, attempt, elapsedMs: elapsed, kind: "transient", retryConflicts: false, random });
      if (!d.retry) {
        expect(["deadline", "max_attempts"]).toContain(d.reason);
        break;
      }
      elapsed += d.delayMs;
    }
    expect(elapsed).toBeLessThanOrEqual(P.deadlineMs);
  });
});
