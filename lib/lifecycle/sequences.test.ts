import { describe, expect, it } from "vitest";
import type { Lifecycle } from "./reduce";
import { sessionMatcher } from "../api/session-filter";
import { replaySequence } from "../testing/fixture-replay";

/**
 * Replays each recording of a real ZLM through normalisation, reconciliation
 * and the reducer, as the running app would see it (API answers as the tap
 * sees them, hooks in arrival order), and checks the sessions it yields.
 */
const sessionsOf = (m: Lifecycle, stream: string) => m.sessions(sessionMatcher({ key: `__defaultVhost__/rtp/${stream}` })).reverse();
/** Anomalies as seen right after the recording ends (recurring ones expire when their hooks stop). */
const types = (m: Lifecycle) => {
  const end = Math.max(0, ...m.anomalies(0).map((a) => a.lastSeenAt));
  return m.anomalies(end + 1000).filter((a) => a.type !== "waiting_past_timeout");
};

describe("replaying the recordings of a real ZLM", () => {
  it("stream_s1: one session opened -> receiving -> timed out -> released on its port; the concurrent ghost is flagged, not merged", () => {
    const m = replaySequence("stream_s1.json");
    const [s] = sessionsOf(m, "s1");
    expect(sessionsOf(m, "s1")).toHaveLength(1);
    expect(s).toMatchObject({ port: 31278, openedBy: "tap", state: "released", releaseConfirmedBy: "poll", endCause: "timed out", timeouts: 1 });
    expect(s.firstMediaAt).not.toBeNull();
    expect(s.mediaStoppedAt).not.toBeNull();
    const ghost = types(m).find((a) => a.type === "ghost_receiver");
    expect(ghost).toMatchObject({ key: "__defaultVhost__/rtp/t_badport", port: 8080 });
    expect(ghost!.count).toBeGreaterThanOrEqual(5);
    expect(types(m).map((a) => a.type)).not.toContain("vanished_without_hook");
  });

  it("stream_s2: the same life for s2", () => {
    const m = replaySequence("stream_s2.json");
    const [s] = sessionsOf(m, "s2");
    expect(s.firstMediaAt).not.toBeNull();
    expect(s.timedOutAt).not.toBeNull();
  });

  it("race_nodata: a server without media refuses reopens ('already exists' while absent) until it times out", () => {
    const m = replaySequence("race_nodata.json");
    const [s] = sessionsOf(m, "race_nodata");
    expect(s).toMatchObject({ port: 30696, state: "timed_out", firstMediaAt: null });
    expect(types(m).map((a) => a.type)).toContain("exists_but_absent");
  });

  it("extra_tcp: a tcp_mode=1 sender disconnect releases with no timeout (ZLM's normal end, no incident); the reopen starts a new session", () => {
    const m = replaySequence("extra_tcp.json");
    const [first, second] = sessionsOf(m, "x_tcp");
    expect(first).toMatchObject({ port: 30680, state: "released", timedOutAt: null, endCause: "sender disconnected" });
    expect(first.firstMediaAt).not.toBeNull();
    expect(second).toMatchObject({ port: 32146, state: "waiting" });
    expect(types(m).filter((a) => a.active).map((a) => a.type)).not.toContain("vanished_without_hook");
  });

  it("extra_pause: paused from the accepted pauseRtpCheck until the server still times out, with media stopped first", () => {
    const m = replaySequence("extra_pause.json");
    const [s] = sessionsOf(m, "x_pause");
    expect(s).toMatchObject({ port: 33048, state: "timed_out" });
    expect(s.mediaStoppedAt).toBe(s.timedOutAt);
    // pause_seconds=12 at 2.003 s; ZLM timed it out at 12.007 s, before the 12 s were over.
    expect(s.pauses).toEqual([{ from: 2003, to: 12007, until: 14003 }]);
  });

  it("race_close_streams: hooks for a server opened before the recording raise nothing by themselves; the stray hls is ignored; the reopen waits", () => {
    const m = replaySequence("race_close_streams.json");
    const sessions = sessionsOf(m, "race_cs");
    expect(sessions.map((s) => [s.port, s.state])).toEqual([[32092, "waiting"]]);
    expect(types(m)).toEqual([]);
  });

  it("ghost_badport: timeout hooks for a key never listed are one ghost_receiver anomaly", () => {
    const m = replaySequence("ghost_badport.json");
    expect(types(m)).toEqual([expect.objectContaining({ type: "ghost_receiver", port: 8080, count: 2, active: true })]);
    expect(m.sessions()).toEqual([]);
  });

  it("every other recording replays without creating sessions from nowhere", () => {
    for (const name of ["race_fixed_port_live.json", "extra_flow.json", "extra_sendrtp.json", "extra_sendrtp_tcp.json"]) {
      const m = replaySequence(name);
      for (const s of m.sessions()) expect(s.openedBy, name).not.toBe("hook");
    }
  });
});
