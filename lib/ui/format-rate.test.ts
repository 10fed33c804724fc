import { describe, expect, it } from "vitest";
import { formatBitRate, formatBytesRate } from "./format-rate";

describe("rates for humans", () => {
  it("picks the unit by size", () => {
    expect([0, 812, 25_012, 262_144, 3_500_000].map(formatBytesRate)).toEqual(["0 B/s", "812 B/s", "25.0 kB/s", "262.1 kB/s", "3.50 MB/s"]);
    expect([0, 100, 25_012, 262_144].map(formatBitRate)).toEqual(["0 bit/s", "800 bit/s", "200 kbit/s", "2.10 Mbit/s"]);
  });
});
