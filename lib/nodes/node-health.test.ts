import { describe, expect, it } from "vitest";
import { hookFreshness } from "./node-health";

describe("hookFreshness", () => {
  const now = 1_000_000;
  it("is 'never' before any hook", () => expect(hookFreshness(null, now, 10)).toBe("never"));
  it("is fresh within two keepalive intervals (plus slack)", () => {
    expect(hookFreshness(now - 21_000, now, 10)).toBe("fresh");
    expect(hookFreshness(now - 23_000, now, 10)).toBe("late");
  });
  it("is silent after five missed intervals", () => {
    expect(hookFreshness(now - 50_000, now, 10)).toBe("late");
    expect(hookFreshness(now - 50_001, now, 10)).toBe("silent");
  });
  it("uses ZLM's default alive_interval (30 s) when the config is unknown", () => {
    expect(hookFreshness(now - 61_000, now, null)).toBe("fresh");
    expect(hookFreshness(now - 63_000, now, 0)).toBe("late");
  });
});
