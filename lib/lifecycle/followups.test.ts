import { describe, expect, it } from "vitest";
import type { NewEvent, PortscopeEvent } from "../events/types";
import { Lifecycle } from "./reduce";
import { normalizeHook } from "../ingest/normalize-hook";
import { reconcile, type ReconcileInput } from "../ingest/reconcile";
import { nodeLiveness } from "./node-liveness";
import { sessionMatcher } from "../api/session-filter";

/**
 * Event sequences a real ZLM produces around restarts, timeouts and fixed-port
 * reopens, run through normalisation, reconciliation and the reducer the way
 * the pipeline does (each batch applied before the next is computed).
 * (Long on purpose: one scenario per ZLM behaviour, sharing one small rig.)
 */
const NODE = "n";
const key = (stream: string) => `__defaultVhost__/rtp/${stream}`;

function harness() {
  const model = new Lifecycle();
  const log: PortscopeEvent[] = [];
  let id = 0;
  const feed = (events: NewEvent[]) => {
    const out = events.map((e) => ({ ...e, id: ++id }) as PortscopeEvent);
    for (const e of out) {
      model.apply(e);
      log.push(e);
    }
    return out;
  };
  const hook = (name: string, body: Record<string, unknown>, at: number) => feed(normalizeHook({ nodeId: NODE, hook: name, body: { mediaServerId: "m", ...body }, at }, model));
  const unlistedSince = new Map<string, number>();
  const poll = (at: number, input: Partial<ReconcileInput> = {}) => feed(reconcile({ nodeId: NODE, at, rtpServers: [], media: null, unlistedSince, ...input }, model));
  /** What the tap records when openRtpServer answers code 0. */
  const tapOpen = (stream: string, port: number, at: number) => feed([{ at, nodeId: NODE, kind: "rtp.opened", key: key(stream), port, source: "tap", payload: { port, tcp_mode: 0, ssrc: 0 } }]);
  const config = (at: number, payload: Record<string, unknown>) => feed([{ at, nodeId: NODE, kind: "node.config", key: null, port: null, source: "poll", payload }]);
  const timeoutHook = (stream: string, port: number, at: number, hookIndex: number) => hook("on_rtp_server_timeout", { app: "rtp", stream_id: stream, vhost: "__defaultVhost__", local_port: port, re_use_port: false, ssrc: 0, tcp_mode: 0, hook_index: hookIndex }, at);
  const started = (mediaServerId: string, at: number) => hook("on_server_started", { "general.mediaServerId": mediaServerId, mediaServerId, "api.secret": "s", hook_index: 0 }, at);
  const sessions = (stream: string) => model.sessions(sessionMatcher({ key: key(stream) })).reverse();
  const anomalies = (at: number) => model.anomalies(at).filter((a) => a.type !== "waiting_past_timeout").map((a) => [a.type, a.key, a.active]);
  return { model, log, feed, hook, poll, tapOpen, config, timeoutHook, started, sessions, anomalies };
}

const row = (stream: string, port: number, tcp_mode = 0) => ({ vhost: "__defaultVhost__", app: "rtp", stream_id: stream, port, tcp_mode, ssrc: 0 });

describe("1. a stale mediaServerId read around a restart is not a second restart", () => {
  it("a poll that started before on_server_started still reads the old id: nothing opened after the restart is released", () => {
    const h = harness();
    h.config(0, { mediaServerId: "old", timeoutSec: 5 });
    h.tapOpen("cam1", 30000, 1000);
    h.poll(1500, { mediaServerId: "old", rtpServers: [row("cam1", 30000)] });
    // The poll cycle starts at 4800 (listing and config still answered by the old process) ...
    // ... ZLM restarts with a new id and says so, a camera is opened on the new process ...
    h.started("new", 5000);
    h.tapOpen("cam2", 31000, 5200);
    // ... and only then is the straddling poll reconciled.
    const stale = h.poll(4800, { mediaServerId: "old", rtpServers: [row("cam1", 30000)] });
    expect(stale.map((e) => e.kind)).toEqual([]);
    expect(h.sessions("cam1").map((s) => [s.state, s.endCause])).toEqual([["released", "node restarted"]]);
    expect(h.sessions("cam2").map((s) => s.state)).toEqual(["waiting"]);
    expect(h.log.filter((e) => e.kind === "node.restarted")).toHaveLength(1);
  });

  it("a fresh read of the new id after the restart hook adds nothing; the old id read again later is not a restart either", () => {
    const h = harness();
    h.config(0, { mediaServerId: "old" });
    h.tapOpen("cam1", 30000, 1000);
    h.started("new", 5000);
    h.tapOpen("cam2", 31000, 5200);
    expect(h.poll(6000, { mediaServerId: "new", rtpServers: [row("cam2", 31000)] })).toEqual([]);
    expect(h.model.node(NODE)?.mediaServerId).toBe("new");
    expect(h.sessions("cam2").map((s) => s.state)).toEqual(["waiting"]);
  });

  it("a poll that sees the new id before the restart hook arrives: one restart, and the hook does not release what was opened in between", () => {
    const h = harness();
    h.config(0, { mediaServerId: "old" });
    h.tapOpen("cam1", 30000, 1000);
    const seen = h.poll(5000, { mediaServerId: "new", rtpServers: [] });
    expect(seen.map((e) => e.kind)).toEqual(["node.restarted"]);
    h.tapOpen("cam2", 31000, 5100);
    h.started("new", 5300);
    expect(h.log.filter((e) => e.kind === "node.restarted")).toHaveLength(1);
    expect(h.sessions("cam1").map((s) => [s.state, s.releaseConfirmedBy])).toEqual([["released", "restart"]]);
    expect(h.sessions("cam2").map((s) => s.state)).toEqual(["waiting"]);
  });

  it("a poll-detected restart keeps sessions opened after the poll began (they are on the new process)", () => {
    const h = harness();
    h.config(0, { mediaServerId: "old" });
    h.tapOpen("cam1", 30000, 1000);
    h.tapOpen("cam2", 31000, 5100); // answered by the new process while the poll that began at 5000 was in flight
    h.poll(5000, { mediaServerId: "new", rtpServers: [] });
    expect(h.sessions("cam1").map((s) => s.state)).toEqual(["released"]);
    expect(h.sessions("cam2").map((s) => s.state)).toEqual(["waiting"]);
  });
});

describe("2. a reopen on the same fixed port right after a timeout is a new session", () => {
  it("timeout hook, then the platform's reopen seen by the tap: two sessions, the old timed out and released, the new waiting", () => {
    const h = harness();
    h.config(0, { timeoutSec: 5 });
    h.tapOpen("gb1", 30700, 1000);
    h.poll(2000, { rtpServers: [row("gb1", 30700)] });
    h.timeoutHook("gb1", 30700, 7000, 4);
    h.tapOpen("gb1", 30700, 7003);
    h.poll(8000, { rtpServers: [row("gb1", 30700)] });
    const [old, next] = h.sessions("gb1");
    expect(h.sessions("gb1")).toHaveLength(2);
    expect(old).toMatchObject({ state: "released", endCause: "timed out", timedOutAt: 7000, port: 30700 });
    expect(next).toMatchObject({ state: "waiting", port: 30700, openedAt: 7003, timedOutAt: null });
    expect(h.anomalies(8000)).toEqual([]);
  });

  it("the same reopen seen only by the poll (no tap): the listing after the timeout hook shows a new server", () => {
    const h = harness();
    h.config(0, { timeoutSec: 5 });
    h.poll(1000, { rtpServers: [row("gb1", 30700)] });
    h.timeoutHook("gb1", 30700, 7000, 4);
    const evs = h.poll(7500, { rtpServers: [row("gb1", 30700)] });
    expect(evs.map((e) => [e.kind, e.port, e.payload.cause ?? null])).toEqual([["rtp.released", 30700, "timed out"], ["rtp.opened", 30700, null]]);
    expect(h.sessions("gb1").map((s) => s.state)).toEqual(["released", "waiting"]);
  });

  it("a listing taken before the timeout hook arrived still lists the old server: not a new session", () => {
    const h = harness();
    h.poll(1000, { rtpServers: [row("gb1", 30700)] });
    h.timeoutHook("gb1", 30700, 7000, 4);
    expect(h.poll(6990, { rtpServers: [row("gb1", 30700)] })).toEqual([]);
    expect(h.sessions("gb1").map((s) => s.state)).toEqual(["timed_out"]);
  });

  it("close answered hit=1, then an immediate reopen on the fixed port while media flows (fixtures 11): two sessions", () => {
    const h = harness();
    h.tapOpen("gb1", 30700, 1000);
    h.feed([{ at: 3000, nodeId: NODE, kind: "rtp.closed", key: key("gb1"), port: 30700, source: "tap", payload: { hit: 1 } }]);
    h.tapOpen("gb1", 30700, 3002);
    expect(h.sessions("gb1").map((s) => [s.state, s.endCause])).toEqual([["released", "closed"], ["waiting", null]]);
  });

  it("the reopen reaches the tap before the timeout hook is processed: two sessions, the late hook goes to the old one", () => {
    const h = harness();
    h.config(0, { timeoutSec: 5 });
    h.tapOpen("gb1", 30700, 1000);
    h.tapOpen("gb1", 30700, 7003);
    h.timeoutHook("gb1", 30700, 7010, 4);
    const [old, next] = h.sessions("gb1");
    expect(old).toMatchObject({ state: "released", endCause: "timed out", timedOutAt: 7010 });
    expect(next).toMatchObject({ state: "waiting", openedAt: 7003, timedOutAt: null });
    expect(h.anomalies(8000)).toEqual([]);
  });
});

describe("3. a late timeout hook for a just-released server is not a ghost; repeated ones are", () => {
  it("the poll declared the server vanished before the delayed timeout hook came: the hook explains it", () => {
    const h = harness();
    h.config(0, { timeoutSec: 5 });
    h.poll(1000, { rtpServers: [row("cam", 30000)] });
    h.poll(7100, { rtpServers: [] });
    h.poll(8700, { rtpServers: [] });
    expect(h.sessions("cam").map((s) => [s.state, s.endCause])).toEqual([["released", "vanished"]]);
    h.timeoutHook("cam", 30000, 9000, 7);
    expect(h.sessions("cam")).toEqual([expect.objectContaining({ state: "released", endCause: "timed out", timedOutAt: 9000, timeouts: 1 })]);
    expect(h.anomalies(9500).filter((a) => a[2])).toEqual([]);
  });

  it("a redelivered timeout for a server already timed out and released is not a ghost", () => {
    const h = harness();
    h.poll(1000, { rtpServers: [row("cam", 30000)] });
    h.timeoutHook("cam", 30000, 7000, 7);
    h.poll(7500, { rtpServers: [] });
    h.timeoutHook("cam", 30000, 20_000, 9); // ZLM retried: our answer did not reach it within hook.timeoutSec
    expect(h.anomalies(21_000)).toEqual([]);
    expect(h.sessions("cam")[0]).toMatchObject({ state: "released", timeouts: 1 });
  });

  it("timeout hooks every 3 s for the port of a released session, never listed again: a ghost receiver", () => {
    const h = harness();
    h.poll(1000, { rtpServers: [row("cam", 30000)] });
    h.poll(7100, { rtpServers: [] });
    h.poll(8700, { rtpServers: [] });
    for (let i = 0; i < 4; i++) {
      h.timeoutHook("cam", 30000, 9000 + i * 3000, 10 + i);
      h.poll(9500 + i * 3000, { rtpServers: [] });
    }
    const ghost = h.model.anomalies(20_000).find((a) => a.type === "ghost_receiver");
    expect(ghost).toMatchObject({ key: key("cam"), port: 30000, active: true });
    expect(ghost!.count).toBeGreaterThanOrEqual(2);
  });

  it("observation 9: timeout hooks every 3 s for a key listRtpServer never listed are one ghost from the first hook", () => {
    const h = harness();
    for (let i = 0; i < 3; i++) {
      h.hook("on_rtp_server_timeout", { app: "rtp", stream_id: "t_badport", vhost: "__defaultVhost__", local_port: 8080, re_use_port: false, ssrc: 0, tcp_mode: 1, hook_index: 1 + i }, 3000 + i * 3000);
      h.poll(3500 + i * 3000, { rtpServers: [] });
    }
    expect(h.model.anomalies(10_000).map((a) => [a.type, a.port, a.count])).toEqual([["ghost_receiver", 8080, 3]]);
  });

  it("a ghost on another port never touches a live server of the same key", () => {
    const h = harness();
    h.tapOpen("t_badport", 34526, 1000);
    h.hook("on_rtp_server_timeout", { app: "rtp", stream_id: "t_badport", vhost: "__defaultVhost__", local_port: 8080, re_use_port: false, ssrc: 0, tcp_mode: 1, hook_index: 5 }, 1100);
    expect(h.sessions("t_badport").map((s) => s.state)).toEqual(["waiting"]);
    expect(h.anomalies(1200)).toEqual([["ghost_receiver", key("t_badport"), true]]);
  });
});

describe("a restart that keeps the mediaServerId (what ZLM does)", () => {
  const restart = (h: ReturnType<typeof harness>, at: number) => {
    h.hook("on_server_exited", { hook_index: 40 }, at);
    h.started("m", at + 200);
  };

  it("the same key listed again on the same fixed port after on_server_started is a new session", () => {
    const h = harness();
    h.config(0, { mediaServerId: "m" });
    h.poll(1000, { rtpServers: [row("gb1", 30700)] });
    restart(h, 5000);
    const evs = h.poll(6000, { rtpServers: [row("gb1", 30700)] });
    expect(evs.map((e) => [e.kind, e.payload.cause ?? null])).toEqual([["rtp.released", "node restarted"], ["rtp.opened", null]]);
    expect(h.sessions("gb1").map((s) => [s.state, s.endCause])).toEqual([["released", "node restarted"], ["waiting", null]]);
    expect(h.anomalies(7000)).toEqual([]);
  });

  it("the platform's reopen seen by the tap after the restart ends the old session with that cause", () => {
    const h = harness();
    h.config(0, { mediaServerId: "m" });
    h.tapOpen("gb1", 30700, 1000);
    restart(h, 5000);
    h.tapOpen("gb1", 30700, 5300);
    expect(h.sessions("gb1").map((s) => [s.state, s.endCause])).toEqual([["released", "node restarted"], ["waiting", null]]);
    expect(h.poll(6000, { rtpServers: [row("gb1", 30700)] })).toEqual([]);
    expect(h.anomalies(7000)).toEqual([]);
  });

  it("a listing taken before on_server_started arrived is not split", () => {
    const h = harness();
    h.config(0, { mediaServerId: "m" });
    h.poll(1000, { rtpServers: [row("gb1", 30700)] });
    restart(h, 5000);
    expect(h.poll(5100, { rtpServers: [row("gb1", 30700)] })).toEqual([]);
  });
});

describe("audit: tcp_mode=1 sender disconnect (extra_tcp: no timeout hook, server gone, reopened 1.5 ms later)", () => {
  it("the reopen seen by the tap inside the vanish grace ends the old session as a sender disconnect: ZLM's normal end of a tcp_mode=1 server, not an incident", () => {
    const h = harness();
    h.feed([{ at: 0, nodeId: NODE, kind: "rtp.opened", key: key("x_tcp"), port: 30680, source: "tap", payload: { port: 30680, tcp_mode: 1 } }]);
    h.hook("on_publish", { app: "rtp", stream: "x_tcp", vhost: "__defaultVhost__", schema: "rtp", hook_index: 209 }, 191);
    h.poll(4007, { rtpServers: [row("x_tcp", 30680, 1)] });
    for (const [i, schema] of ["hls", "ts", "rtsp", "rtmp", "fmp4"].entries()) h.hook("on_stream_changed", { app: "rtp", stream: "x_tcp", vhost: "__defaultVhost__", schema, regist: false, hook_index: 215 + i }, 4056 + i);
    h.poll(4058, { rtpServers: [] }); // inside the grace: not yet released
    h.feed([{ at: 4060, nodeId: NODE, kind: "rtp.opened", key: key("x_tcp"), port: 32146, source: "tap", payload: { port: 32146, tcp_mode: 1 } }]);
    h.poll(4115, { rtpServers: [row("x_tcp", 32146, 1)] });
    const [first, second] = h.sessions("x_tcp");
    expect(first).toMatchObject({ port: 30680, state: "released", endCause: "sender disconnected", timedOutAt: null });
    expect(first.mediaStoppedAt).not.toBeNull();
    expect(second).toMatchObject({ port: 32146, state: "waiting" });
    expect(h.model.anomalies(5000).map((a) => a.type)).not.toContain("vanished_without_hook");
  });
});

describe("audit: close_streams answering -400 although it closed (race_close_streams)", () => {
  const closeStreams = (h: ReturnType<typeof harness>, at: number, answer: Record<string, unknown>) =>
    h.feed([{ at, nodeId: NODE, kind: "tap.call", key: key("race_cs"), port: null, source: "tap", payload: { endpoint: "close_streams", params: { app: "rtp", stream: "race_cs", force: "1" }, status: 200, answer, code: answer.code } }]);
  const minus400 = { code: -400, msg: "mediakit::RtspMediaSource::getOwnerPoller failed: rtsp://__defaultVhost__/rtp/race_cs" };
  const live = (h: ReturnType<typeof harness>) => {
    h.poll(100, { rtpServers: [row("race_cs", 30750)] });
    h.hook("on_publish", { app: "rtp", stream: "race_cs", vhost: "__defaultVhost__", schema: "rtp", hook_index: 106 }, 194);
  };
  const unregister = (h: ReturnType<typeof harness>, at: number) => {
    for (const [i, schema] of ["rtsp", "rtmp", "ts", "fmp4", "hls"].entries()) h.hook("on_stream_changed", { app: "rtp", stream: "race_cs", vhost: "__defaultVhost__", schema, regist: false, hook_index: 112 + i }, at + i);
  };

  it("the -400 close, then the recorded reopen 5 ms later: the old session closed, the new one waiting, no anomaly", () => {
    const h = harness();
    live(h);
    closeStreams(h, 1416, minus400);
    h.tapOpen("race_cs", 32092, 1421);
    unregister(h, 1421);
    h.poll(1426, { rtpServers: [row("race_cs", 32092)] });
    expect(h.sessions("race_cs").map((s) => [s.port, s.state, s.endCause])).toEqual([[30750, "released", "closed"], [32092, "waiting", null]]);
    expect(h.anomalies(2000)).toEqual([]);
  });

  it("the -400 close and no reopen: the server's disappearance is a close, not a vanish", () => {
    const h = harness();
    live(h);
    closeStreams(h, 1416, minus400);
    unregister(h, 1421);
    h.poll(1500, { rtpServers: [] });
    h.poll(3100, { rtpServers: [] });
    expect(h.sessions("race_cs").map((s) => [s.state, s.endCause])).toEqual([["released", "closed"]]);
    expect(h.anomalies(4000)).toEqual([]);
  });

  it("a -400 close that did not close (still listed) leaves the session alone", () => {
    const h = harness();
    live(h);
    closeStreams(h, 1416, minus400);
    expect(h.poll(3000, { rtpServers: [row("race_cs", 30750)] })).toEqual([]);
    expect(h.sessions("race_cs").map((s) => s.state)).toEqual(["receiving"]);
  });

  it("close_streams answering count_closed=1 is a close", () => {
    const h = harness();
    live(h);
    closeStreams(h, 1416, { code: 0, count_closed: 1, count_hit: 1, msg: "success" });
    expect(h.sessions("race_cs").map((s) => [s.state, s.closedBy])).toEqual([["closed", "tap"]]);
  });
});

describe("audit: on_server_keepalive gaps as liveness", () => {
  const keepalive = (h: ReturnType<typeof harness>, at: number, i: number) => h.hook("on_server_keepalive", { data: { Socket: 4 }, hook_index: i }, at);
  const offline = (h: ReturnType<typeof harness>, at: number) => h.feed([{ at, nodeId: NODE, kind: "node.offline", key: null, port: null, source: "poll", payload: { error: { kind: "transient", message: "ECONNREFUSED" } } }]);

  it("polls fail but keepalives keep coming at alive_interval: up; they stop: offline after two intervals", () => {
    const h = harness();
    h.feed([{ at: 0, nodeId: NODE, kind: "node.online", key: null, port: null, source: "poll", payload: {} }]);
    h.config(0, { aliveIntervalSec: 10 });
    keepalive(h, 10_000, 1);
    offline(h, 15_000);
    keepalive(h, 20_000, 2);
    keepalive(h, 30_000, 3);
    expect(nodeLiveness(h.model, NODE, 45_000)).toMatchObject({ online: true, by: "keepalive", lastKeepaliveAt: 30_000 });
    expect(nodeLiveness(h.model, NODE, 55_001)).toMatchObject({ online: false, by: null });
    expect(h.model.node(NODE)?.online).toBe(false);
  });

  it("a keepalive from before the node went down does not keep it up", () => {
    const h = harness();
    h.config(0, { aliveIntervalSec: 10 });
    keepalive(h, 10_000, 1);
    offline(h, 12_000);
    expect(nodeLiveness(h.model, NODE, 13_000)).toMatchObject({ online: false });
  });

  it("the cadence comes from on_server_started when no config was read (ZLM's default 30 s otherwise)", () => {
    const h = harness();
    h.hook("on_server_started", { "general.mediaServerId": "m", "hook.alive_interval": "5.0", hook_index: 0 }, 0);
    offline(h, 1000);
    keepalive(h, 5000, 1);
    expect(nodeLiveness(h.model, NODE, 19_000).online).toBe(true);
    expect(nodeLiveness(h.model, NODE, 20_001).online).toBe(false);
  });
});

describe("audit: hooks arriving out of hook_index order (ZLM posts them concurrently)", () => {
  const body = (stream: string, extra: Record<string, unknown>) => ({ app: "rtp", vhost: "__defaultVhost__", ...extra, ...(extra.local_port ? { stream_id: stream } : { stream }) });
  /** A session's hooks from first packet to teardown, with the late hls registration racing the timeout. */
  const teardown = (stream: string, port: number): [string, Record<string, unknown>][] => [
    ["on_publish", body(stream, { schema: "rtp", hook_index: 1 })],
    ...["fmp4", "rtmp", "rtsp", "ts"].map((schema, i): [string, Record<string, unknown>] => ["on_stream_changed", body(stream, { schema, regist: true, originType: 3, hook_index: 2 + i })]),
    ["on_stream_changed", body(stream, { schema: "hls", regist: true, originType: 3, hook_index: 6 })],
    ["on_rtp_server_timeout", body(stream, { local_port: port, re_use_port: false, ssrc: 0, tcp_mode: 0, hook_index: 7 })],
    ...["hls", "ts", "rtsp", "rtmp", "fmp4"].map((schema, i): [string, Record<string, unknown>] => ["on_stream_changed", body(stream, { schema, regist: false, hook_index: 8 + i })]),
  ];
  const outcome = (order: (hooks: [string, Record<string, unknown>][]) => [string, Record<string, unknown>][]) => {
    const h = harness();
    h.tapOpen("cam", 30000, 0);
    const hooks = teardown("cam", 30000);
    const start = hooks.slice(0, 5);
    start.forEach(([name, b], i) => h.hook(name, b, 100 + i));
    order(hooks.slice(5)).forEach(([name, b], i) => h.hook(name, b, 6000 + i));
    h.poll(7000, { rtpServers: [], media: [] });
    const [s] = h.sessions("cam");
    return { session: [s.state, s.endCause, s.firstMediaAt !== null, s.mediaStoppedAt !== null, s.timeouts], media: h.model.nodeMedia(NODE).size, anomalies: h.anomalies(8000) };
  };

  it("the teardown burst in hook_index order, reversed, and shuffled ends the same: released after a timeout, media gone, nothing flagged", () => {
    const inOrder = outcome((x) => x);
    expect(inOrder).toEqual({ session: ["released", "timed out", true, true, 1], media: 0, anomalies: [] });
    expect(outcome((x) => [...x].reverse())).toEqual(inOrder);
    expect(outcome((x) => [x[3], x[0], x[5], x[1], x[6], x[2], x[4]])).toEqual(inOrder);
  });
});

describe("a late timeout hook and the new session's media", () => {
  it("the old server's timeout arriving after the fixed-port reopen already receives does not stop the new one's media", () => {
    const h = harness();
    h.tapOpen("gb1", 30700, 1000);
    h.tapOpen("gb1", 30700, 7003);
    h.hook("on_publish", { app: "rtp", stream: "gb1", vhost: "__defaultVhost__", schema: "rtp", hook_index: 30 }, 7200);
    const evs = h.timeoutHook("gb1", 30700, 7400, 4);
    expect(evs.map((e) => e.kind)).toEqual(["rtp.timed_out"]);
    expect(h.sessions("gb1").map((s) => [s.state, s.endCause])).toEqual([["released", "timed out"], ["receiving", null]]);
  });
});

describe("restart as an explanation for a vanished server", () => {
  const offline = (h: ReturnType<typeof harness>, at: number) => h.feed([{ at, nodeId: NODE, kind: "node.offline", key: null, port: null, source: "poll", payload: {} }]);

  it("a poll blip long ago does not explain a tcp_mode=1 server vanishing much later: its sender left", () => {
    const h = harness();
    h.poll(1000, { rtpServers: [row("x_tcp", 30680, 1)] });
    offline(h, 3000);
    h.poll(5000, { rtpServers: [row("x_tcp", 30680, 1)], previousPollAt: 1000 });
    h.poll(7000, { rtpServers: [row("x_tcp", 30680, 1)], previousPollAt: 5000 });
    h.poll(100_000, { rtpServers: [], previousPollAt: 7000 });
    h.poll(101_600, { rtpServers: [], previousPollAt: 100_000 });
    expect(h.sessions("x_tcp").map((s) => [s.state, s.endCause])).toEqual([["released", "sender disconnected"]]);
    expect(h.anomalies(102_000)).toEqual([]);
  });

  it("an outage since the last listing does explain it", () => {
    const h = harness();
    h.poll(1000, { rtpServers: [row("cam", 30000)] });
    offline(h, 3000);
    h.poll(9000, { rtpServers: [], previousPollAt: 1000 });
    expect(h.sessions("cam").map((s) => [s.state, s.endCause])).toEqual([["released", "node restarted"]]);
    expect(h.anomalies(10_000)).toEqual([]);
  });
});

describe("audit: on_stream_none_reader answered close:true (ZLM closes the stream and its server, no timeout hook)", () => {
  const noneReader = (h: ReturnType<typeof harness>, at: number, answer: Record<string, unknown>) =>
    h.feed(normalizeHook({ nodeId: NODE, hook: "on_stream_none_reader", body: { app: "rtp", stream: "cam", vhost: "__defaultVhost__", schema: "hls", params: "", hook_index: 40, mediaServerId: "m" }, at }, h.model).map((e) => ({ ...e, payload: { ...e.payload, portscope_tee: { ok: true, status: 200, ms: 3, error: null, answer } } })));
  const stream = (h: ReturnType<typeof harness>) => {
    h.poll(1000, { rtpServers: [row("cam", 30000)] });
    h.hook("on_publish", { app: "rtp", stream: "cam", vhost: "__defaultVhost__", schema: "rtp", hook_index: 1 }, 1200);
  };

  it("the business server answered close:true: the server's disappearance is a close", () => {
    const h = harness();
    stream(h);
    noneReader(h, 30_000, { code: 0, close: true });
    h.hook("on_stream_changed", { app: "rtp", stream: "cam", vhost: "__defaultVhost__", schema: "hls", regist: false, hook_index: 41 }, 30_005);
    h.poll(30_500, { rtpServers: [] });
    h.poll(32_100, { rtpServers: [] });
    expect(h.sessions("cam").map((s) => [s.state, s.endCause])).toEqual([["released", "closed"]]);
    expect(h.anomalies(33_000)).toEqual([]);
  });

  it("answered without close, ZLM keeps the stream: a later disappearance while media flowed is another client's close, not an incident", () => {
    const h = harness();
    stream(h);
    noneReader(h, 30_000, { code: 0, msg: "success" });
    h.poll(30_500, { rtpServers: [] });
    h.poll(32_100, { rtpServers: [] });
    expect(h.sessions("cam").map((s) => s.endCause)).toEqual(["closed elsewhere"]);
    expect(h.anomalies(33_000)).toEqual([]);
  });
});

describe("the vanish grace belongs to one session", () => {
  it("a key left unlisted by the old session does not cut the new session's grace short", () => {
    const h = harness();
    h.tapOpen("cam", 30000, 1000);
    h.poll(1100, { rtpServers: [row("cam", 30000)] });
    h.poll(3000, { rtpServers: [] }); // the old server is gone, within the grace
    h.tapOpen("cam", 30002, 3100); // reopened (the old one's timeout hook never came)
    h.poll(6000, { rtpServers: [] }); // the new one, never listed yet, is unlisted once: not yet vanished
    expect(h.sessions("cam").map((s) => s.state)).toEqual(["released", "waiting"]);
  });
});

describe("a timed-out server reopened by another client on a new port", () => {
  it("ends as timed out, not 'replaced', when the poll that sees the new port began before the timeout hook", () => {
    const h = harness();
    h.tapOpen("cam", 30000, 0);
    h.timeoutHook("cam", 30000, 5000, 1);
    // This poll began at 4800 and lists the key on a port the tap never opened (the platform went to ZLM directly).
    h.poll(4800, { rtpServers: [row("cam", 30002)] });
    expect(h.sessions("cam").map((s) => [s.port, s.state, s.endCause])).toEqual([
      [30000, "released", "timed out"],
      [30002, "waiting", null],
    ]);
  });
});

describe("a late on_server_started from a ZLM that was up before Portscope listened", () => {
  it("keeps the session when the same server is still listed and no outage was seen", () => {
    const h = harness();
    h.config(0, { mediaServerId: "m", timeoutSec: 5 });
    h.tapOpen("cam", 30000, 100);
    h.poll(1000, { mediaServerId: "m", rtpServers: [row("cam", 30000)] });
    // ZLM posted on_server_started at its own start, got no answer, and retried it now.
    h.started("m", 2300);
    expect(h.poll(2500, { rtpServers: [row("cam", 30000)] }).map((e) => e.kind)).toEqual([]);
    expect(h.sessions("cam").map((s) => [s.state, s.endCause])).toEqual([["waiting", null]]);
  });

  it("still splits the session after a real restart (the node was seen down in between)", () => {
    const h = harness();
    h.config(0, { mediaServerId: "m", timeoutSec: 5 });
    h.tapOpen("cam", 30000, 100);
    h.poll(1000, { mediaServerId: "m", rtpServers: [row("cam", 30000)] });
    h.feed([{ at: 1500, nodeId: NODE, kind: "node.offline", key: null, port: null, source: "poll", payload: {} }]);
    h.started("m", 2300);
    h.poll(2500, { rtpServers: [row("cam", 30000)] });
    expect(h.sessions("cam").map((s) => [s.state, s.endCause])).toEqual([
      ["released", "node restarted"],
      ["waiting", null],
    ]);
  });
});
