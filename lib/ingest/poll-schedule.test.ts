import { describe, expect, it } from "vitest";
import { DEFAULT_POLL_SCHEDULE, isSlowCycle, nextPollDelay } from "./poll-schedule";

describe("nextPollDelay", () => {
  const noJitter = { ...DEFAULT_POLL_SCHEDULE, jitter: 0 };
  it("polls at the interval while the node answers", () => {
    expect(nextPollDelay(noJitter, 0)).toBe(2000);
  });
  it("doubles per failure and stops at the cap", () => {
    expect([1, 2, 3, 4, 10].map((f) => nextPollDelay(noJitter, f))).toEqual([4000, 8000, 16000, 30000, 30000]);
  });
  it("polls faster while a release is awaited, but never slower than the interval, and backs off the same when down", () => {
    expect(nextPollDelay(noJitter, 0, Math.random, true)).toBe(500);
    expect(nextPollDelay({ ...noJitter, intervalMs: 300 }, 0, Math.random, true)).toBe(300);
    expect(nextPollDelay(noJitter, 2, Math.random, true)).toBe(8000);
  });
  it("spreads by the jitter fraction either side", () => {
    expect(nextPollDelay(DEFAULT_POLL_SCHEDULE, 0, () => 0)).toBe(1800);
    expect(nextPollDelay(DEFAULT_POLL_SCHEDULE, 0, () => 1)).toBe(2200);
  });
});

describe("isSlowCycle", () => {
  it("is true on the first cycle and every Nth after", () => {
    expect([0, 1, 14, 15, 30].map((c) => isSlowCycle(c))).toEqual([true, false, false, true, true]);
  });
});
