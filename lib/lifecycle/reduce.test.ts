import { describe, expect, it } from "vitest";
import type { EventKind, EventSource, PortscopeEvent } from "../events/types";
import { Lifecycle } from "./reduce";
import { sessionMatcher } from "../api/session-filter";

const KEY = "__defaultVhost__/rtp/cam1";
let nextId = 1;
function ev(kind: EventKind, at: number, extra: Partial<PortscopeEvent> & { payload?: Record<string, unknown> } = {}): PortscopeEvent {
  return { id: nextId++, at, nodeId: "n1", kind, key: KEY, port: 30000, source: "hook" as EventSource, payload: {}, hookIndex: null, ...extra };
}
function run(events: PortscopeEvent[]): Lifecycle {
  const l = new Lifecycle();
  for (const e of events) l.apply(e);
  return l;
}

describe("a port session's life", () => {
  it("opened -> receiving -> media stopped -> timed out -> released", () => {
    const l = run([
      ev("rtp.opened", 1000, { source: "tap", payload: { port: 30000, tcp_mode: 0, ssrc: 7 } }),
      ev("rtp.receiving", 1200),
      ev("rtp.media_stopped", 5000),
      ev("rtp.timed_out", 9000, { payload: { local_port: 30000 } }),
      ev("rtp.released", 9500, { source: "poll", payload: { confirmedBy: "poll" } }),
    ]);
    const [s] = l.sessions();
    expect(s).toMatchObject({ state: "released", openedBy: "tap", port: 30000, tcpMode: 0, ssrc: 7, openedAt: 1000, firstMediaAt: 1200, mediaStoppedAt: 5000, timedOutAt: 9000, releasedAt: 9500, releaseConfirmedBy: "poll", endCause: "timed out", timeouts: 1 });
    expect(l.currentSession("n1", KEY)).toBeUndefined();
    expect(l.anomalies(10_000)).toEqual([]);
  });

  it("closed by an operator, release confirmed by poll", () => {
    const l = run([ev("rtp.opened", 0, { source: "poll" }), ev("rtp.closed", 100, { source: "action" }), ev("rtp.released", 300, { source: "poll", payload: { confirmedBy: "poll" } })]);
    expect(l.sessions()[0]).toMatchObject({ state: "released", closedBy: "action", endCause: "closed" });
  });

  it("an open refused while nothing is live becomes an open_failed session with ZLM's code and message", () => {
    const l = run([ev("rtp.open_failed", 0, { source: "tap", payload: { code: -400, msg: "none reserved port in pool", kind: "permanent" } })]);
    expect(l.sessions()[0]).toMatchObject({ state: "open_failed", failure: { code: -400, msg: "none reserved port in pool", kind: "permanent" } });
    expect(l.currentSession("n1", KEY)).toBeUndefined();
  });

  it("a refused duplicate open does not disturb the live session", () => {
    const l = run([ev("rtp.opened", 0), ev("rtp.open_failed", 10, { payload: { code: -300, msg: "This stream already exists", kind: "conflict", rtpInfoExist: true } })]);
    expect(l.sessions()).toHaveLength(1);
    expect(l.currentSession("n1", KEY)?.state).toBe("waiting");
  });

  it("a second session starts after the first is released", () => {
    const l = run([ev("rtp.opened", 0), ev("rtp.released", 10, { payload: { confirmedBy: "poll", cause: "closed" } }), ev("rtp.opened", 20, { port: 30002 })]);
    expect(l.sessions().map((s) => [s.port, s.state])).toEqual([[30002, "waiting"], [30000, "released"]]);
  });
});

describe("hooks out of order or twice", () => {
  it("a timeout arriving after the regist=false hooks ends in the same state as in order", () => {
    const base = [ev("rtp.opened", 0), ev("rtp.receiving", 10)];
    nextId = 100;
    const inOrder = run([...base, ev("rtp.media_stopped", 50, { hookIndex: 11 }), ev("rtp.timed_out", 50, { hookIndex: 11, payload: { local_port: 30000 } })]);
    nextId = 100;
    const late = run([...base, ev("rtp.media_stopped", 50, { hookIndex: 12 }), ev("rtp.timed_out", 51, { hookIndex: 11, payload: { local_port: 30000 } })]);
    expect(late.sessions()[0].state).toBe("timed_out");
    expect(inOrder.sessions()[0].state).toBe("timed_out");
  });

  it("the same transition twice counts once", () => {
    const l = run([ev("rtp.opened", 0), ev("rtp.receiving", 10), ev("rtp.receiving", 11), ev("rtp.timed_out", 20, { payload: { local_port: 30000 } }), ev("rtp.timed_out", 21, { payload: { local_port: 30000 } })]);
    expect(l.sessions()[0]).toMatchObject({ firstMediaAt: 10, timeouts: 1, timedOutAt: 20 });
  });

  it("replaying already-applied events changes nothing", () => {
    const events = [ev("rtp.opened", 0), ev("rtp.receiving", 10)];
    const l = run(events);
    const before = JSON.stringify(l.snapshot());
    for (const e of events) l.apply(e);
    expect(JSON.stringify(l.snapshot())).toBe(before);
  });
});

describe("anomalies", () => {
  it("waiting past timeoutSec + 3 s is flagged, and cleared once media arrives", () => {
    const l = run([ev("node.config", 0, { key: null, port: null, source: "poll", payload: { timeoutSec: 5 } }), ev("rtp.opened", 0)]);
    expect(l.anomalies(7_999)).toEqual([]);
    expect(l.anomalies(8_001).map((a) => a.type)).toEqual(["waiting_past_timeout"]);
    l.apply(ev("rtp.receiving", 8_500));
    expect(l.anomalies(9_000)).toEqual([]);
  });

  it("a timeout for an unlisted key, or another port, is a ghost receiver and never touches the live session", () => {
    const l = run([ev("rtp.timed_out", 0, { port: 8080, payload: { local_port: 8080 } }), ev("rtp.opened", 100, { port: 30000 }), ev("rtp.timed_out", 3000, { port: 8080, payload: { local_port: 8080 } })]);
    expect(l.currentSession("n1", KEY)?.state).toBe("waiting");
    const [ghost] = l.anomalies(3001);
    expect(ghost).toMatchObject({ type: "ghost_receiver", port: 8080, count: 2, active: true });
  });

  it("the same key timing out three times in ten minutes is repeated_timeouts", () => {
    const evs: PortscopeEvent[] = [];
    for (let i = 0; i < 3; i++) {
      evs.push(ev("rtp.opened", i * 20_000), ev("rtp.timed_out", i * 20_000 + 18_000, { payload: { local_port: 30000 } }), ev("rtp.released", i * 20_000 + 18_100, { payload: { confirmedBy: "poll" } }));
    }
    const l = run(evs);
    expect(l.anomalies(60_000).map((a) => [a.type, a.count])).toEqual([["repeated_timeouts", 1]]);
  });

  it('"already exists" while getRtpInfo said absent', () => {
    const l = run([ev("rtp.opened", 0), ev("rtp.open_failed", 5, { source: "tap", payload: { code: -300, msg: "This stream already exists", kind: "conflict", rtpInfoExist: false } })]);
    expect(l.anomalies(10).map((a) => a.type)).toContain("exists_but_absent");
  });

  it("a tcp_mode=0 server ZLM dropped as a timeout would, with no timeout hook, is vanished_without_hook; the look-alikes are not", () => {
    const config = ev("node.config", 0, { key: null, payload: { timeoutSec: 5 } });
    const gone = (at: number) => ev("rtp.released", at, { source: "poll", payload: { confirmedBy: "poll", cause: "vanished" } });
    const lost = run([config, ev("rtp.opened", 1, { payload: { tcp_mode: 0 } }), gone(6_500)]);
    expect(lost.anomalies(7_000).map((a) => a.type)).toEqual(["vanished_without_hook"]);
    expect(lost.sessions()[0].endCause).toBe("vanished");
    // A tcp_mode=1 server ends when its TCP sender leaves, with no hook (fixtures 8).
    const tcp = run([config, ev("rtp.opened", 1, { payload: { tcp_mode: 1 } }), ev("rtp.receiving", 5), gone(6_500)]);
    expect(tcp.anomalies(7_000)).toEqual([]);
    expect(tcp.sessions()[0].endCause).toBe("sender disconnected");
    // Receiving, or younger than timeoutSec: a client closed it without Portscope (a platform's BYE).
    const closedWhileLive = run([config, ev("rtp.opened", 1), ev("rtp.receiving", 5), gone(60_000)]);
    expect(closedWhileLive.anomalies(60_500)).toEqual([]);
    expect(closedWhileLive.sessions()[0].endCause).toBe("closed elsewhere");
    const young = run([config, ev("rtp.opened", 1), gone(3_000)]);
    expect(young.anomalies(3_500)).toEqual([]);
    // A poll reports a stop a stall after the last growth it saw: idle counts from that growth.
    const stopped = (at: number, frozenSince: number) => ev("rtp.media_stopped", at, { source: "poll", payload: { seenBy: "getMediaList", frozenSince } });
    const lateReport = run([config, ev("rtp.opened", 1, { payload: { tcp_mode: 0 } }), ev("rtp.receiving", 5), stopped(13_000, 10_000), gone(16_000)]);
    expect(lateReport.anomalies(16_500).map((a) => a.type)).toEqual(["vanished_without_hook"]);
    // The look-alike: a BYE soon after a poll reported the stop, well inside timeoutSec of the last growth, is a close.
    const bye = run([config, ev("rtp.opened", 1, { payload: { tcp_mode: 0 } }), ev("rtp.receiving", 5), stopped(12_000, 10_000), gone(12_500)]);
    expect(bye.anomalies(13_000)).toEqual([]);
    expect(bye.sessions()[0].endCause).toBe("closed elsewhere");
    const r = run([ev("rtp.opened", 0), ev("rtp.released", 10, { source: "poll", payload: { confirmedBy: "poll", cause: "node restarted" } })]);
    expect(r.anomalies(20)).toEqual([]);
  });

  it("media for an rtp key with no server is flagged (by a poll, never by a hook alone) until it goes away", () => {
    const l = run([ev("stream.registered", 0, { payload: { schema: "rtsp" } })]);
    expect(l.anomalies(1)).toEqual([]);
    l.apply(ev("stream.without_server", 2, { source: "poll", payload: { schema: "rtsp" } }));
    expect(l.anomalies(3)).toEqual([]); // within the grace: a teardown in progress looks the same
    expect(l.anomalies(5_002).map((a) => [a.type, a.active])).toEqual([["media_without_server", true]]);
    l.apply(ev("stream.unregistered", 6_000, { payload: { schema: "rtsp" } }));
    expect(l.anomalies(6_001).map((a) => [a.type, a.active])).toEqual([["media_without_server", false]]);
  });

  it("media without a server for the moment of a teardown (ZLM erases the server, then the media) is no anomaly, now or later", () => {
    const l = run([ev("stream.registered", 0, { payload: { schema: "rtsp" } }), ev("stream.without_server", 2, { source: "poll", payload: { schema: "rtsp" } }), ev("stream.unregistered", 90, { payload: { schema: "rtsp" } })]);
    expect(l.anomalies(100)).toEqual([]);
    expect(l.anomalies(60_000)).toEqual([]);
    expect(l.incidents(60_000)).toEqual([]);
  });

  it("port pool above 80% in use", () => {
    const evs = [ev("node.config", 0, { key: null, port: null, payload: { portRange: [30000, 30009] } })];
    for (let i = 0; i < 5; i++) evs.push(ev("rtp.opened", 1, { key: `__defaultVhost__/rtp/s${i}`, port: 30000 + 2 * i }));
    const l = run(evs);
    expect(l.anomalies(2).find((a) => a.type === "port_pool_high")?.detail).toContain("5 of 5 ports");
  });
});

describe("node events", () => {
  it("node.restarted releases every live session of that node only", () => {
    const l = run([ev("rtp.opened", 0), ev("rtp.opened", 0, { nodeId: "n2" }), ev("node.restarted", 10, { key: null, port: null })]);
    expect(l.currentSession("n1", KEY)).toBeUndefined();
    expect(l.currentSession("n2", KEY)?.state).toBe("waiting");
    expect(l.sessions(sessionMatcher({ node: "n1" }))[0]).toMatchObject({ state: "released", releaseConfirmedBy: "restart", endCause: "node restarted" });
  });

  it("tracks online state, config and restarts", () => {
    const l = run([ev("node.online", 0, { key: null }), ev("node.config", 1, { key: null, payload: { timeoutSec: 9, portRange: [30000, 30500], mediaServerId: "m" } }), ev("node.offline", 2, { key: null })]);
    expect(l.node("n1")).toMatchObject({ online: false, timeoutSec: 9, portRange: [30000, 30500], mediaServerId: "m", lastDownAt: 2 });
  });
});

describe("determinism", () => {
  it("two models fed the same events have equal snapshots", () => {
    const events = [ev("rtp.opened", 0), ev("rtp.receiving", 1), ev("rtp.timed_out", 2, { payload: { local_port: 8080 } }), ev("stream.registered", 3, { payload: { schema: "ts" } }), ev("rtp.closed", 4)];
    expect(run(events).snapshot()).toEqual(run(events).snapshot());
  });

  it("filters sessions by node, key, port, state and time", () => {
    const l = run([ev("rtp.opened", 100), ev("rtp.released", 200, { payload: { confirmedBy: "poll", cause: "closed" } }), ev("rtp.opened", 300, { key: "__defaultVhost__/rtp/other", port: 30002 })]);
    expect(l.sessions(sessionMatcher({ port: 30002 }))).toHaveLength(1);
    expect(l.sessions(sessionMatcher({ state: "released" }))).toHaveLength(1);
    expect(l.sessions(sessionMatcher({ from: 250 })).map((s) => s.key)).toEqual(["__defaultVhost__/rtp/other"]);
    expect(l.sessions(sessionMatcher({ to: 150 })).map((s) => s.port)).toEqual([30000]);
  });
});

describe("paused: pauseRtpCheck suspends the timeout check of a receiving server", () => {
  const act = (kind: "action.started" | "action.finished", at: number, payload: Record<string, unknown>) => ev(kind, at, { source: "action", port: null, payload });
  const tapped = (endpoint: string, at: number, code: number, params: Record<string, string> = {}) => ev("tap.call", at, { source: "tap", port: null, payload: { endpoint, params: { stream_id: "cam1", ...params }, status: 200, answer: { code }, code } });
  const receiving = () => [ev("rtp.opened", 0), ev("rtp.receiving", 100)];

  it("an operator's pause that ZLM accepted pauses until the resume, which goes back to receiving", () => {
    const l = run([...receiving(), act("action.started", 1000, { actionId: "p1", action: "pause", reason: "camera firmware update", request: { stream_id: "cam1", pause_seconds: 60 } }), act("action.finished", 1010, { actionId: "p1", action: "pause", outcome: "paused", ok: true })]);
    const s = l.currentSession("n1", KEY)!;
    expect(s.state).toBe("paused");
    expect(s.pauses).toEqual([{ from: 1010, to: null, until: 61_010 }]);
    expect(l.sessions(sessionMatcher({ state: "paused" }))).toHaveLength(1);
    l.apply(act("action.started", 5000, { actionId: "r1", action: "resume", reason: "done" }));
    l.apply(act("action.finished", 5005, { actionId: "r1", action: "resume", outcome: "resumed", ok: true }));
    expect(s).toMatchObject({ state: "receiving", pauses: [{ from: 1010, to: 5005, until: 61_010 }] });
    expect(s.actions?.map((a) => [a.action, a.outcome, a.ok])).toEqual([["pause", "paused", true], ["resume", "resumed", true]]);
  });

  it("a tapped pauseRtpCheck answered 0 pauses (300 s by default); a refused one (-500, no live stream) does not", () => {
    const refused = run([ev("rtp.opened", 0), tapped("pauseRtpCheck", 50, -500)]);
    expect(refused.currentSession("n1", KEY)?.state).toBe("waiting");
    const l = run([...receiving(), tapped("pauseRtpCheck", 200, 0)]);
    expect(l.currentSession("n1", KEY)).toMatchObject({ state: "paused", pauses: [{ from: 200, to: null, until: 300_200 }] });
    l.apply(tapped("resumeRtpCheck", 900, 0));
    expect(l.currentSession("n1", KEY)?.state).toBe("receiving");
  });

  it("a failed pause action leaves the session as it was", () => {
    const l = run([...receiving(), act("action.finished", 300, { actionId: "p", action: "pause", outcome: "failed", ok: false })]);
    expect(l.currentSession("n1", KEY)?.state).toBe("receiving");
  });

  it("ends on a timeout of this server (media stopped first), not on a ghost's timeout on another port", () => {
    const l = run([...receiving(), tapped("pauseRtpCheck", 200, 0, { pause_seconds: "12" }), ev("rtp.timed_out", 3000, { port: 8080, payload: { local_port: 8080 } })]);
    expect(l.currentSession("n1", KEY)?.state).toBe("paused");
    l.apply(ev("rtp.timed_out", 9000, { payload: { local_port: 30000 } }));
    expect(l.currentSession("n1", KEY)).toMatchObject({ state: "timed_out", mediaStoppedAt: 9000, timedOutAt: 9000, pauses: [{ from: 200, to: 9000 }] });
  });

  it("ends on media end, close or release", () => {
    const paused = () => [...receiving(), tapped("pauseRtpCheck", 200, 0)];
    expect(run([...paused(), ev("stream.unregistered", 700, { payload: { schema: "rtsp" } })]).currentSession("n1", KEY)).toMatchObject({ state: "media_stopped", mediaStoppedAt: 700, pauses: [{ to: 700 }] });
    expect(run([...paused(), ev("rtp.closed", 800, { source: "action" })]).currentSession("n1", KEY)).toMatchObject({ state: "closed", pauses: [{ to: 800 }] });
    const released = run([...paused(), ev("rtp.released", 900, { source: "poll", payload: { confirmedBy: "poll", cause: "vanished" } })]).sessions()[0];
    expect(released).toMatchObject({ state: "released", pauses: [{ to: 900 }] });
  });

  it("a poll's media stop ends the pause; media again is receiving; a later timeout keeps the poll's stop time", () => {
    const l = run([...receiving(), tapped("pauseRtpCheck", 200, 0, { pause_seconds: "60" }), ev("rtp.media_stopped", 2500, { source: "poll", payload: { seenBy: "getMediaList", totalBytes: 9000, frozenSince: 500, bytesSpeed: 0 } })]);
    expect(l.currentSession("n1", KEY)).toMatchObject({ state: "media_stopped", mediaStoppedAt: 2500, pauses: [{ from: 200, to: 2500 }] });
    l.apply(ev("rtp.receiving", 4000, { source: "poll" }));
    expect(l.currentSession("n1", KEY)).toMatchObject({ state: "receiving", mediaStoppedAt: null });
    l.apply(ev("rtp.media_stopped", 6000, { source: "poll" }));
    l.apply(ev("rtp.timed_out", 15_000, { payload: { local_port: 30000 } }));
    expect(l.currentSession("n1", KEY)).toMatchObject({ state: "timed_out", mediaStoppedAt: 6000, timedOutAt: 15_000 });
  });

  it("ends by itself after pause_seconds: the next event finds it over", () => {
    const l = run([...receiving(), tapped("pauseRtpCheck", 1000, 0, { pause_seconds: "5" }), ev("stream.flow_report", 20_000)]);
    expect(l.currentSession("n1", KEY)).toMatchObject({ state: "receiving", pauses: [{ from: 1000, to: 6000, until: 6000 }] });
  });

  it("a pause proves media even before its hook; a server whose media stopped cannot be paused", () => {
    expect(run([ev("rtp.opened", 0), tapped("pauseRtpCheck", 50, 0)]).currentSession("n1", KEY)).toMatchObject({ state: "paused", firstMediaAt: 50 });
    const stopped = run([...receiving(), ev("rtp.media_stopped", 150), tapped("pauseRtpCheck", 200, 0)]);
    expect(stopped.currentSession("n1", KEY)?.state).toBe("media_stopped");
  });

  it("the same events always give the same paused model", () => {
    const events = [...receiving(), tapped("pauseRtpCheck", 200, 0), ev("rtp.receiving", 300), ev("stream.unregistered", 700, { payload: { schema: "ts" } })];
    expect(run(events).snapshot()).toEqual(run(events).snapshot());
  });
});

describe("operator actions and open verdicts on the session", () => {
  const act = (kind: "action.started" | "action.finished", at: number, payload: Record<string, unknown>) => ev(kind, at, { source: "action", port: null, payload });

  it("keeps each action's type, reason, outcome and times on the key's session", () => {
    const l = run([ev("rtp.opened", 0), act("action.started", 10, { actionId: "c1", action: "close", reason: "stuck port", request: {} }), act("action.finished", 40, { actionId: "c1", action: "close", outcome: "closed", ok: true })]);
    expect(l.sessions()[0].actions).toEqual([{ actionId: "c1", action: "close", reason: "stuck port", at: 10, finishedAt: 40, outcome: "closed", ok: true }]);
  });

  it("a safe reopen shows on the session it closed and on the one it opened", () => {
    const l = run([
      ev("rtp.opened", 0),
      act("action.started", 10, { actionId: "r1", action: "reopen", reason: "camera re-invited", request: {} }),
      ev("rtp.closed", 20, { source: "action" }),
      ev("rtp.released", 30, { source: "action", payload: { confirmedBy: "poll", cause: "closed" } }),
      ev("rtp.opened", 40, { source: "action", port: 30002 }),
      act("action.finished", 41, { actionId: "r1", action: "reopen", outcome: "opened", ok: true }),
    ]);
    const [reopened, closed] = l.sessions();
    expect(closed.actions).toEqual([expect.objectContaining({ actionId: "r1", at: 10, outcome: "opened", ok: true })]);
    expect(reopened.actions).toEqual([expect.objectContaining({ actionId: "r1", action: "reopen", at: 41, outcome: "opened" })]);
  });

  it("keeps the already-exists verdict on a failed open, and on the holder when a duplicate open is refused", () => {
    const verdict = { cause: "a", title: "A server still holds the key, waiting for media", fix: "Reuse the holder's port", evidence: { holderPort: 30000 } };
    const failed = run([ev("rtp.open_failed", 0, { source: "tap", payload: { code: -300, msg: "This stream already exists", kind: "conflict", verdict: { ...verdict, cause: "unknown" } } })]);
    expect(failed.sessions()[0].failure).toEqual({ code: -300, msg: "This stream already exists", kind: "conflict", verdict: { cause: "unknown", title: verdict.title, fix: verdict.fix } });
    const held = run([ev("rtp.opened", 0), ev("rtp.open_failed", 50, { source: "tap", payload: { code: -300, msg: "This stream already exists", kind: "conflict", verdict } })]);
    expect(held.sessions()).toHaveLength(1);
    expect(held.sessions()[0].rejectedOpens).toEqual([{ at: 50, code: -300, msg: "This stream already exists", verdict: { cause: "a", title: verdict.title, fix: verdict.fix } }]);
    const odd = run([ev("rtp.open_failed", 0, { payload: { code: -300, msg: "x", verdict: { cause: "z" } } })]);
    expect(odd.sessions()[0].failure?.verdict).toBeNull();
  });
});
