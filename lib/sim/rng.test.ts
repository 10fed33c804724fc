import { describe, expect, it } from "vitest";
import { createRng } from "./rng";

describe("createRng", () => {
  it("gives the same sequence for the same seed", () => {
    const a = createRng(42);
    const b = createRng(42);
    const seqA = Array.from({ length: 50 }, () => a.next());
    const seqB = Array.from({ length: 50 }, () => b.next());
    expect(seqA).toEqual(seqB);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("gives different sequences for different seeds, including seeds wider than 32 bits", () => {
    expect(createRng(1).next()).not.toBe(createRng(2).next());
    expect(createRng(1_700_000_000_000).next()).not.toBe(createRng(1_700_000_000_000 + 2 ** 32).next());
  });

  it("int stays within both inclusive bounds and reaches them", () => {
    const rng = createRng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const v = rng.int(3, 6);
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThanOrEqual(6);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it("pick and chance are deterministic and sane", () => {
    const a = createRng(9);
    const b = createRng(9);
    const items = ["x", "y", "z"];
    expect(Array.from({ length: 20 }, () => a.pick(items))).toEqual(Array.from({ length: 20 }, () => b.pick(items)));
    const rng = createRng(3);
    expect(rng.chance(0)).toBe(false);
    expect(rng.chance(1)).toBe(true);
    expect(() => rng.pick([])).toThrow();
  });
});
