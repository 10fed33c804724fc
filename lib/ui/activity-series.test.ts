import { describe, expect, it } from "vitest";
import type { PortSession } from "../lifecycle/types";
import { activitySeries } from "./activity-series";

const s: PortSession = { id: "a", nodeId: "n", key: "v/rtp/a", port: 30000, tcpMode: 0, ssrc: 1, state: "released", openedBy: "poll", openedAt: 10_000, firstMediaAt: 70_000, mediaStoppedAt: null, timedOutAt: 130_000, closedAt: null, closedBy: null, releasedAt: 140_000, releaseConfirmedBy: "poll", endCause: "timed out", failure: null, timeouts: 1, lastEventId: 5, lastEventAt: 140_000 };

describe("activitySeries", () => {
  it("counts servers by state at each minute's end, and timeouts and failures per minute", () => {
    const failed = { ...s, id: "f", state: "open_failed" as const, openedAt: 65_000, firstMediaAt: null, timedOutAt: null, releasedAt: null };
    const pts = activitySeries([s, failed], 0, 180_000);
    expect(pts.map((p) => [p.t, p.waiting, p.receiving, p.other, p.timeouts, p.openFailures])).toEqual([
      [0, 1, 0, 0, 0, 0],
      [60_000, 0, 1, 0, 0, 1],
      [120_000, 0, 0, 0, 1, 0],
    ]);
  });
});
