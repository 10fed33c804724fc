import { describe, expect, it } from "vitest";
import { formatClock, formatDateTime, formatMonthDay, formatNumber, formatSpan } from "./format-time";

describe("formatSpan", () => {
  it("reads like an operator would say it", () => {
    expect(formatSpan(null)).toBe("—");
    expect(formatSpan(-5, "en")).toBe("0 s");
    expect(formatSpan(42_000, "en")).toBe("42 s");
    expect(formatSpan(7 * 60_000 + 10_000, "en")).toBe("7 min");
    expect(formatSpan(3 * 3600_000, "en")).toBe("3 h");
    expect(formatSpan(3 * 3600_000 + 12 * 60_000, "en")).toBe("3 h 12 min");
    expect(formatSpan(2 * 86400_000 + 4 * 3600_000, "en")).toBe("2 d 4 h");
  });
  it("speaks the viewer's language", () => {
    expect(formatSpan(42_000, "zh")).toBe("42 秒");
    expect(formatSpan(3 * 3600_000 + 12 * 60_000, "zh")).toBe("3 小时 12 分钟");
  });
});

describe("clock and dates", () => {
  // 2026-12-03 17:54:03.045 UTC, a time whose US form (12/3/2026, 5:54:03 PM) differs from the ISO one.
  const t = Date.UTC(2026, 11, 3, 17, 54, 3, 45);
  it("uses a 24-hour clock and ISO-style dates in the zone asked for", () => {
    expect(formatClock(t, false, "UTC")).toBe("17:54:03");
    expect(formatClock(t, true, "UTC")).toBe("17:54:03.045");
    expect(formatDateTime(t, "UTC")).toBe("2026-12-03 17:54:03");
    expect(formatDateTime(t, "Asia/Shanghai")).toBe("2026-12-04 01:54:03");
    expect(formatMonthDay(t, "UTC")).toBe("12-03");
    expect(formatClock(null)).toBe("—");
  });
  it("groups digits", () => {
    expect(formatNumber(10000, "en")).toBe("10,000");
  });
});
