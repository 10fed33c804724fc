import { describe, expect, it } from "vitest";
import type { EventKind, EventSource, PortscopeEvent } from "../events/types";
import { Lifecycle } from "./reduce";

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

  it("a server gone with no timeout or close is vanished_without_hook; a node restart is not", () => {
    const l = run([ev("rtp.opened", 0, { payload: { tcp_mode: 1 } }), ev("rtp.receiving", 5), ev("rtp.released", 10, { source: "poll", payload: { confirmedBy: "poll", cause: "vanished" } })]);
    expect(l.anomalies(20).map((a) => a.type)).toEqual(["vanished_without_hook"]);
    expect(l.anomalies(20)[0].detail).toContain("tcp_mode=1");
    const r = run([ev("rtp.opened", 0), ev("rtp.released", 10, { source: "poll", payload: { confirmedBy: "poll", cause: "node restarted" } })]);
    expect(r.anomalies(20)).toEqual([]);
    expect(r.sessions()[0].endCause).toBe("node restarted");
  });

  it("media for an rtp key with no server is flagged (by a poll, never by a hook alone) until it goes away", () => {
    const l = run([ev("stream.registered", 0, { payload: { schema: "rtsp" } })]);
    expect(l.anomalies(1)).toEqual([]);
    l.apply(ev("stream.without_server", 2, { source: "poll", payload: { schema: "rtsp" } }));
    expect(l.anomalies(3).map((a) => [a.type, a.active])).toEqual([["media_without_server", true]]);
    l.apply(ev("stream.unregistered", 5, { payload: { schema: "rtsp" } }));
    expect(l.anomalies(6).map((a) => [a.type, a.active])).toEqual([["media_without_server", false]]);
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
    expect(l.sessions({ nodeId: "n1" })[0]).toMatchObject({ state: "released", releaseConfirmedBy: "restart", endCause: "node restarted" });
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
    expect(l.sessions({ port: 30002 })).toHaveLength(1);
    expect(l.sessions({ state: "released" })).toHaveLength(1);
    expect(l.sessions({ from: 250 }).map((s) => s.key)).toEqual(["__defaultVhost__/rtp/other"]);
    expect(l.sessions({ to: 150 }).map((s) => s.port)).toEqual([30000]);
  });
});
