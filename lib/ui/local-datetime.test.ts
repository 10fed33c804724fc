import { describe, expect, it } from "vitest";
import { fromLocalInput, toLocalInput } from "./local-datetime";

describe("datetime-local values", () => {
  it("round-trips a moment to the second in the viewer's zone", () => {
    const t = new Date(2026, 11, 1, 10, 7, 5).getTime();
    expect(toLocalInput(t)).toBe("2026-12-01T10:07:05");
    expect(fromLocalInput("2026-12-01T10:07:05")).toBe(t);
  });
  it("accepts minutes only (what support types) and rejects junk", () => {
    expect(fromLocalInput("2026-12-01T10:07")).toBe(new Date(2026, 11, 1, 10, 7).getTime());
    expect(fromLocalInput("2026-12-01 10:07:05")).toBe(new Date(2026, 11, 1, 10, 7, 5).getTime()); // ISO-style with a space, as the fields show it
    expect(fromLocalInput("2026-12-01 10:0")).toBeNull(); // still being typed
    expect(fromLocalInput("")).toBeNull();
    expect(fromLocalInput("10:07")).toBeNull();
  });
});
