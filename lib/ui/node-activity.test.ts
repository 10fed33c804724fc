import { describe, expect, it } from "vitest";
import type { PortSession } from "../lifecycle/types";
import { nodeActivity } from "./node-activity";

const base: PortSession = { id: "a", nodeId: "n1", key: "v/rtp/a", port: 30000, tcpMode: 0, ssrc: 1, state: "released", openedBy: "poll", openedAt: 10_000, firstMediaAt: 70_000, mediaStoppedAt: null, timedOutAt: 130_000, closedAt: null, closedBy: null, releasedAt: 140_000, releaseConfirmedBy: "poll", endCause: "timed out", failure: null, timeouts: 1, lastEventId: 5, lastEventAt: 140_000 };

describe("nodeActivity", () => {
  it("keeps one node's sessions, shows pool use in percent and adds failure buckets per cause", () => {
    const other = { ...base, id: "b", nodeId: "n2" };
    const pts = nodeActivity("n1", [base, other], [
      { t: 61_000, nodeId: "n1", a: 3, c: 1 },
      { t: 125_000, nodeId: "n1", other: 2 },
      { t: 61_000, nodeId: "n2", a: 9 },
      { t: 999_000, nodeId: "n1", a: 1 },
    ], 0, 180_000, 60_000, 4);
    expect(pts.map((p) => [p.t, p.waiting, p.receiving, p.timeouts, p.poolPct])).toEqual([
      [0, 1, 0, 0, 25],
      [60_000, 0, 1, 0, 25],
      [120_000, 0, 0, 1, 0],
    ]);
    expect(pts[1].failures).toMatchObject({ a: 3, c: 1, other: 0 });
    expect(pts[2].failures).toMatchObject({ a: 0, other: 2 });
    expect(pts[0].failures.a).toBe(0);
  });

  it("leaves pool use empty while the port range is unknown", () => {
    expect(nodeActivity("n1", [base], [], 0, 60_000, 60_000, null)[0].poolPct).toBeNull();
  });
});
