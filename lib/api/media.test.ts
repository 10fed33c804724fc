import { describe, expect, it } from "vitest";
import { mediaQuerySchema, mediaRatesView } from "./media";

const rate = (key: string, bytesSpeed: number) => ({ key, bytesSpeed, totalBytes: null, aliveSecond: null, schemas: 4 });

describe("media rates view", () => {
  const pollers = [
    { nodeId: "a", media: { polledAt: 5, rates: [rate("v/rtp/1", 100), rate("v/rtp/2", 0)] } },
    { nodeId: "b", media: null },
  ];
  it("lists each node's last rates, filtered by node and key", () => {
    expect(mediaRatesView(pollers, {}).nodes.map((n) => [n.nodeId, n.polledAt, n.rates.length])).toEqual([["a", 5, 2], ["b", null, 0]]);
    expect(mediaRatesView(pollers, { node: "a", key: "v/rtp/1" }).nodes).toEqual([{ nodeId: "a", polledAt: 5, rates: [rate("v/rtp/1", 100)] }]);
  });
  it("rejects unknown parameters", () => {
    expect(mediaQuerySchema.safeParse({ node: "a", secret: "x" }).success).toBe(false);
    expect(mediaQuerySchema.safeParse({ node: "" }).success).toBe(false);
  });
});
