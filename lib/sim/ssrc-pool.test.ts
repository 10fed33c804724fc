import { describe, expect, it } from "vitest";
import { createRng } from "./rng";
import { SsrcPool } from "./ssrc-pool";

describe("SsrcPool (wvp's SSRCFactory)", () => {
  it("hands out GB28181 play SSRCs, each once, until the pool is empty", () => {
    const pool = new SsrcPool(createRng(1), 5);
    const taken = Array.from({ length: 5 }, () => pool.take());
    expect(new Set(taken).size).toBe(5);
    for (const ssrc of taken) expect(String(ssrc)).toMatch(/^20000000[0-4]$/); // "0" + "20000" + index; the leading 0 drops as a number
    expect(pool.take()).toBeNull();
  });

  it("the rebuild keeps only SSRCs with live media: a waiting server's SSRC is handed out again", () => {
    const pool = new SsrcPool(createRng(2), 2);
    const live = pool.take()!;
    const waiting = pool.take()!;
    pool.rebuild([live]);
    expect(pool.take()).toBe(waiting);
    expect(pool.take()).toBeNull();
  });
});
