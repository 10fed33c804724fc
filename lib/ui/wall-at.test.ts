import { describe, expect, it } from "vitest";
import type { PortSession } from "../lifecycle/types";
import { liveWallAt, RELEASED_GRACE_MS, wallAt } from "./wall-at";
import { stateAt } from "../lifecycle/state-at";

const s: PortSession = { id: "a", nodeId: "n", key: "v/rtp/a", port: 30000, tcpMode: 0, ssrc: 1, state: "released", openedBy: "poll", openedAt: 100, firstMediaAt: 200, mediaStoppedAt: 300, timedOutAt: 400, closedAt: null, closedBy: null, releasedAt: 500, releaseConfirmedBy: "poll", endCause: "timed out", failure: null, timeouts: 1, lastEventId: 5, lastEventAt: 500 };

describe("the wall at a past moment", () => {
  it("gives each session's state at that time", () => {
    expect([50, 100, 250, 350, 450, 500].map((t) => stateAt(s, t))).toEqual([null, "waiting", "receiving", "media_stopped", "timed_out", null]);
  });
  it("lists only the servers that existed then, with their age", () => {
    const other = { ...s, id: "b", openedAt: 460, firstMediaAt: null, mediaStoppedAt: null, timedOutAt: null, releasedAt: null, state: "waiting" as const };
    expect(wallAt([s, other], 470).map((e) => [e.session.id, e.stateAt, e.ageMs])).toEqual([["a", "timed_out", 370], ["b", "waiting", 10]]);
  });
});

describe("a paused server on the wall", () => {
  const paused: PortSession = { ...s, state: "receiving", mediaStoppedAt: null, timedOutAt: null, releasedAt: null, releaseConfirmedBy: null, endCause: null, pauses: [{ from: 250, to: 280, until: 400 }, { from: 300, to: null, until: 360 }] };
  it("is paused inside each pause window, until it ends or expires, and receiving around them", () => {
    expect([240, 250, 279, 280, 300, 359, 360].map((t) => stateAt(paused, t))).toEqual(["receiving", "paused", "paused", "receiving", "paused", "paused", "receiving"]);
  });
  it("stops being paused when media stops, even inside the window", () => {
    expect(stateAt({ ...paused, mediaStoppedAt: 320 }, 330)).toBe("media_stopped");
  });
});

describe("the live wall", () => {
  it("keeps a released server for the grace period, greyed as released", () => {
    expect(liveWallAt([s], 600).map((e) => [e.session.id, e.stateAt, e.ageMs])).toEqual([["a", "released", 400]]);
    expect(liveWallAt([s], 500 + RELEASED_GRACE_MS)).toEqual([]);
  });
  it("lists a session released after the wall's clock once, in its state at that clock (it was a row twice, with one key)", () => {
    expect(liveWallAt([s], 450).map((e) => [e.session.id, e.stateAt])).toEqual([["a", "timed_out"]]);
  });
});
