import { describe, expect, it } from "vitest";
import { appendRateSample } from "./rate-samples";

const nodes = (polledAt: number | null, speed: number) => [{ nodeId: "demo", polledAt, rates: [{ key: "v/rtp/a", bytesSpeed: speed }, { key: "v/rtp/b", bytesSpeed: 1 }] }];

describe("appendRateSample", () => {
  it("takes one sample per poll, zero for a node without the stream, and forgets old ones", () => {
    let s = appendRateSample([], nodes(1000, 500), "v/rtp/a", 1000);
    s = appendRateSample(s, nodes(1000, 600), "v/rtp/a", 1500);
    expect(s).toEqual([{ t: 1000, rates: { demo: 500 } }]);
    s = appendRateSample(s, [...nodes(3000, 700), { nodeId: "n2", polledAt: 2900, rates: [] }], "v/rtp/a", 3000);
    expect(s[1]).toEqual({ t: 3000, rates: { demo: 700, n2: 0 } });
    expect(appendRateSample(s, nodes(400_000, 1), "v/rtp/a", 400_000, 60_000)).toEqual([{ t: 400_000, rates: { demo: 1 } }]);
  });
  it("adds nothing when no node was polled", () => {
    const s = appendRateSample([], nodes(null, 0), "v/rtp/a", 0);
    expect(s).toEqual([]);
  });
});
