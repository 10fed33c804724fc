import { describe, expect, it } from "vitest";
import { formatSpan } from "./format-time";

describe("formatSpan", () => {
  it("reads like an operator would say it", () => {
    expect(formatSpan(null)).toBe("—");
    expect(formatSpan(-5)).toBe("0 s");
    expect(formatSpan(42_000)).toBe("42 s");
    expect(formatSpan(7 * 60_000 + 10_000)).toBe("7 min");
    expect(formatSpan(3 * 3600_000)).toBe("3 h");
    expect(formatSpan(3 * 3600_000 + 12 * 60_000)).toBe("3 h 12 min");
    expect(formatSpan(2 * 86400_000 + 4 * 3600_000)).toBe("2 d 4 h");
  });
});
