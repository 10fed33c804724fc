import { describe, expect, it } from "vitest";
import type { EventKind, PortscopeEvent } from "../events/types";
import { patchSessions } from "./patch-sessions";

let id = 0;
const ev = (kind: EventKind, at: number, port = 30000): PortscopeEvent => ({ id: ++id, at, nodeId: "n", kind, key: "v/rtp/cam", port, source: "hook", payload: {} });

describe("patchSessions", () => {
  it("follows a session through its life from SSE events alone", () => {
    let list = patchSessions([], [ev("rtp.opened", 1)]);
    list = patchSessions(list, [ev("rtp.receiving", 2), ev("rtp.media_stopped", 3), ev("rtp.timed_out", 4)]);
    list = patchSessions(list, [ev("rtp.released", 5)]);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ state: "released", openedAt: 1, firstMediaAt: 2, mediaStoppedAt: 3, timedOutAt: 4, releasedAt: 5 });
  });
  it("starts a new session after a release and ignores a ghost's timeout on another port", () => {
    let list = patchSessions([], [ev("rtp.opened", 1), ev("rtp.released", 2), ev("rtp.opened", 3, 30002), ev("rtp.timed_out", 4, 8080)]);
    expect(list.map((s) => [s.port, s.state])).toEqual([[30002, "waiting"], [30000, "released"]]);
    list = patchSessions(list, [ev("stream.flow_report", 5)]);
    expect(list.map((s) => s.state)).toEqual(["waiting", "released"]);
  });
  it("ignores events a refetched list already reflects (no double sessions, no stale release)", () => {
    const opened = ev("rtp.opened", 1);
    const released = ev("rtp.released", 2);
    const reopened = ev("rtp.opened", 3, 30002);
    const fresh = patchSessions([], [opened, released, reopened]);
    // The same batch arrives again after a refetch that already has everything.
    expect(patchSessions(fresh, [released, reopened])).toBe(fresh);
    expect(fresh.map((s) => [s.port, s.state])).toEqual([[30002, "waiting"], [30000, "released"]]);
  });
  it("returns the same list when nothing applies (no re-render)", () => {
    const list = patchSessions([], [ev("rtp.opened", 1)]);
    expect(patchSessions(list, [ev("node.keepalive", 2)])).toBe(list);
  });
});

describe("patchSessions: pauses, actions, refused opens and restarts", () => {
  const at = (kind: EventKind, t: number, payload: Record<string, unknown>, extra: Partial<PortscopeEvent> = {}): PortscopeEvent => ({ ...ev(kind, t), payload, ...extra });
  const receiving = () => patchSessions([], [ev("rtp.opened", 1), ev("rtp.receiving", 2)]);

  it("pauses on an accepted pause (action or tapped call) and ends it on resume or media end", () => {
    let list = patchSessions(receiving(), [at("action.started", 3, { actionId: "p", action: "pause", reason: "x", request: { pause_seconds: 30 } }, { source: "action" }), at("action.finished", 4, { actionId: "p", action: "pause", outcome: "paused", ok: true }, { source: "action" })]);
    expect(list[0]).toMatchObject({ state: "paused", pauses: [{ from: 4, to: null, until: 30_004 }] });
    list = patchSessions(list, [at("tap.call", 5, { endpoint: "resumeRtpCheck", params: {}, answer: { code: 0 }, code: 0 }, { source: "tap" })]);
    expect(list[0]).toMatchObject({ state: "receiving", pauses: [{ from: 4, to: 5 }] });
    list = patchSessions(list, [at("tap.call", 6, { endpoint: "pauseRtpCheck", params: { pause_seconds: "9" }, answer: { code: 0 }, code: 0 }, { source: "tap" }), at("stream.unregistered", 7, { schema: "rtsp" })]);
    expect(list[0]).toMatchObject({ state: "media_stopped", mediaStoppedAt: 7, pauses: [{ to: 5 }, { from: 6, to: 7, until: 9006 }] });
  });

  it("a poll's media stop ends a pause, media again is receiving, and a later timeout keeps the stop time", () => {
    let list = patchSessions(receiving(), [at("tap.call", 3, { endpoint: "pauseRtpCheck", params: { pause_seconds: "60" }, answer: { code: 0 }, code: 0 }, { source: "tap" })]);
    list = patchSessions(list, [at("rtp.media_stopped", 5, { seenBy: "getMediaList" }, { source: "poll" })]);
    expect(list[0]).toMatchObject({ state: "media_stopped", mediaStoppedAt: 5, pauses: [{ from: 3, to: 5 }] });
    list = patchSessions(list, [at("rtp.receiving", 7, { seenBy: "getMediaList" }, { source: "poll" })]);
    expect(list[0]).toMatchObject({ state: "receiving", firstMediaAt: 2, mediaStoppedAt: null });
    list = patchSessions(list, [at("rtp.media_stopped", 9, {}, { source: "poll" }), at("rtp.timed_out", 20, { timeoutOf: list[0].id })]);
    expect(list[0]).toMatchObject({ state: "timed_out", mediaStoppedAt: 9, timedOutAt: 20 });
  });

  it("keeps the list when a tapped call changes nothing", () => {
    const list = receiving();
    expect(patchSessions(list, [at("tap.call", 9, { endpoint: "getRtpInfo", params: {}, answer: { code: 0, exist: true }, code: 0 }, { source: "tap" })])).toBe(list);
  });

  it("adds an open failure with its verdict, or notes a refused duplicate open on the holder", () => {
    const verdict = { cause: "c", title: "The key is already live with media", fix: "play it", evidence: {} };
    const failed = patchSessions([], [at("rtp.open_failed", 1, { code: -300, msg: "This stream already exists", kind: "conflict", verdict }, { port: null })]);
    expect(failed[0]).toMatchObject({ state: "open_failed", failure: { code: -300, verdict: { cause: "c", title: verdict.title, fix: "play it" } } });
    const held = patchSessions(receiving(), [at("rtp.open_failed", 5, { code: -300, msg: "This stream already exists", kind: "conflict", verdict })]);
    expect(held).toHaveLength(1);
    expect(held[0].rejectedOpens).toEqual([{ at: 5, code: -300, msg: "This stream already exists", verdict: { cause: "c", title: verdict.title, fix: "play it" } }]);
  });

  it("puts a reopen's outcome on the session it closed and the one it opened", () => {
    const list = patchSessions(receiving(), [
      at("action.started", 3, { actionId: "r", action: "reopen", reason: "re-invite", request: {} }, { source: "action" }),
      at("rtp.released", 4, { confirmedBy: "poll", cause: "closed" }, { source: "action" }),
      at("rtp.opened", 5, {}, { port: 30002, source: "action" }),
      at("action.finished", 6, { actionId: "r", action: "reopen", outcome: "opened", ok: true }, { source: "action" }),
    ]);
    expect(list.map((s) => s.actions?.map((a) => [a.at, a.outcome]))).toEqual([[[6, "opened"]], [[3, "opened"]]]);
  });

  it("releases a node's live sessions on its restart, confirmed by the restart", () => {
    const other = patchSessions([], [{ ...ev("rtp.opened", 1), nodeId: "m" }]);
    const list = patchSessions([...receiving(), ...other], [{ ...ev("node.restarted", 9), key: null, port: null }]);
    expect(list.map((s) => [s.nodeId, s.state, s.releaseConfirmedBy, s.endCause])).toEqual([["n", "released", "restart", "node restarted"], ["m", "waiting", null, null]]);
  });
});
describe("patchSessions: a fixed-port reopen right after a timeout", () => {
  it("shows two sessions, the old one released, the new one waiting on the same port", () => {
    let list = patchSessions([], [ev("rtp.opened", 1)]);
    list = patchSessions(list, [ev("rtp.timed_out", 6000), { ...ev("rtp.opened", 6003), source: "tap" }]);
    expect(list.map((s) => [s.port, s.state, s.openedAt])).toEqual([[30000, "waiting", 6003], [30000, "released", 1]]);
  });
});

describe("patchSessions: timeouts the server attributed elsewhere", () => {
  it("a timeout the model gave to the session before (or to a ghost) leaves the live session alone", () => {
    let list = patchSessions([], [{ ...ev("rtp.opened", 1), source: "tap" }]);
    const old = list[0].id;
    list = patchSessions(list, [{ ...ev("rtp.opened", 6003), source: "tap" }]);
    list = patchSessions(list, [{ ...ev("rtp.timed_out", 6010), payload: { timeoutOf: old } }, { ...ev("rtp.timed_out", 6020), payload: { timeoutOf: null } }]);
    expect(list.map((s) => s.state)).toEqual(["waiting", "released"]);
    list = patchSessions(list, [{ ...ev("rtp.timed_out", 20_000), payload: { timeoutOf: list[0].id } }]);
    expect(list.map((s) => s.state)).toEqual(["timed_out", "released"]);
  });
});
