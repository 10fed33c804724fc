import { describe, expect, it } from "vitest";
import type { PortSession } from "../lifecycle/types";
import { sessionBands, sessionMarkers, timelineRows } from "./session-bands";

const base: PortSession = { id: "n|k|1", nodeId: "n", key: "__defaultVhost__/rtp/cam", port: 30000, tcpMode: 0, ssrc: 1, state: "released", openedBy: "poll", openedAt: 0, firstMediaAt: 100, mediaStoppedAt: 500, timedOutAt: 900, closedAt: null, closedBy: null, releasedAt: 1000, releaseConfirmedBy: "poll", endCause: "timed out", failure: null, timeouts: 1, lastEventId: 9, lastEventAt: 1000 };

describe("sessionBands", () => {
  it("turns a full life into consecutive bands ending at the release", () => {
    expect(sessionBands(base, 5000)).toEqual([
      { state: "waiting", from: 0, to: 100 },
      { state: "receiving", from: 100, to: 500 },
      { state: "media_stopped", from: 500, to: 900 },
      { state: "timed_out", from: 900, to: 1000 },
    ]);
  });
  it("runs a live session to now", () => {
    expect(sessionBands({ ...base, state: "waiting", firstMediaAt: null, mediaStoppedAt: null, timedOutAt: null, releasedAt: null }, 700)).toEqual([{ state: "waiting", from: 0, to: 700 }]);
  });
  it("draws an open failure as a marker only", () => {
    const failed = { ...base, state: "open_failed" as const };
    expect(sessionBands(failed, 10)).toEqual([]);
    expect(sessionMarkers(failed)).toEqual([{ kind: "open_failed", at: 0 }]);
  });
  it("marks open, first media, timeout and release", () => {
    expect(sessionMarkers(base).map((m) => m.kind)).toEqual(["open", "first_media", "timeout", "release"]);
  });
});

describe("timelineRows", () => {
  it("groups sessions per key or per port, most recent activity first", () => {
    const a = { ...base, id: "a", lastEventAt: 10 };
    const b = { ...base, id: "b", key: "__defaultVhost__/rtp/other", port: 30002, lastEventAt: 20 };
    const c = { ...base, id: "c", port: 30002, lastEventAt: 5 };
    expect(timelineRows([a, b, c], "key").map((r) => [r.label, r.sessions.length])).toEqual([["other", 1], ["cam", 2]]);
    expect(timelineRows([a, b, c], "port").map((r) => [r.label, r.sessions.length])).toEqual([["port 30002", 2], ["port 30000", 1]]);
  });
});
