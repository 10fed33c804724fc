import { describe, expect, it } from "vitest";
import { ephemeralOverlap } from "./port-range-advice";

describe("ephemeralOverlap", () => {
  it("finds ZLM's default range overlapping Linux's default ephemeral ports", () => {
    expect(ephemeralOverlap([30000, 35000])).toEqual({ from: 32768, to: 35000, share: 2233 / 5001 });
  });
  it("is null below, above, or when the range is unknown", () => {
    expect(ephemeralOverlap([20000, 32767])).toBeNull();
    expect(ephemeralOverlap([61000, 62000])).toBeNull();
    expect(ephemeralOverlap(null)).toBeNull();
  });
  it("counts a range wholly inside the ephemeral ports as fully overlapping, and takes another ephemeral range", () => {
    expect(ephemeralOverlap([40000, 40999])).toEqual({ from: 40000, to: 40999, share: 1 });
    expect(ephemeralOverlap([40000, 40999], [49152, 65535])).toBeNull();
  });
});
