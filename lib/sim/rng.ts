/**
 * A small seedable PRNG (mulberry32) so a simulation run can be replayed:
 * the same seed gives the same ports, plays and failures.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [lo, hi], both ends included. */
  int(lo: number, hi: number): number;
  pick<T>(arr: readonly T[]): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
}

export function createRng(seed: number): Rng {
  // Fold seeds wider than 32 bits (Date.now()) so their high bits still count.
  let state = (Math.floor(seed) ^ Math.floor(seed / 2 ** 32)) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int(lo, hi) {
      const min = Math.ceil(Math.min(lo, hi));
      const max = Math.floor(Math.max(lo, hi));
      return min + Math.floor(next() * (max - min + 1));
    },
    pick<T>(arr: readonly T[]): T {
      if (arr.length === 0) throw new Error("rng.pick: empty array");
      return arr[Math.floor(next() * arr.length)] as T;
    },
    chance(p) {
      return next() < p;
    },
  };
}
