import { describe, expect, it } from "vitest";
import type { PortSession } from "../lifecycle/types";
import { eventsNear, keepLiveRowOrder, keepRowOrder, nodeRestarts, rowSession, sessionBands, sessionMarkers, timelineRows } from "./session-bands";

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
    expect(sessionMarkers(failed).map((m) => [m.kind, m.at, m.label])).toEqual([["open_failed", 0, "!"]]);
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

describe("paused bands, and markers for restarts, actions and verdicts", () => {
  it("lays a pause over the receiving band, ending at resume or at its expiry", () => {
    const s = { ...base, pauses: [{ from: 200, to: 300, until: 9000 }, { from: 400, to: null, until: 450 }] };
    expect(sessionBands(s, 5000)).toEqual([
      { state: "waiting", from: 0, to: 100 },
      { state: "receiving", from: 100, to: 200 },
      { state: "paused", from: 200, to: 300 },
      { state: "receiving", from: 300, to: 400 },
      { state: "paused", from: 400, to: 450 },
      { state: "receiving", from: 450, to: 500 },
      { state: "media_stopped", from: 500, to: 900 },
      { state: "timed_out", from: 900, to: 1000 },
    ]);
  });
  it("runs a live pause to now", () => {
    const live = { ...base, state: "paused" as const, mediaStoppedAt: null, timedOutAt: null, releasedAt: null, pauses: [{ from: 200, to: null, until: 300_200 }] };
    expect(sessionBands(live, 700).slice(-1)).toEqual([{ state: "paused", from: 200, to: 700 }]);
  });
  it("marks a release by node restart as a restart", () => {
    const restarted = { ...base, releaseConfirmedBy: "restart" as const, endCause: "node restarted" };
    expect(sessionMarkers(restarted).map((m) => m.kind)).toEqual(["open", "first_media", "timeout", "restart"]);
  });
  it("marks operator actions with their outcome and reason", () => {
    const s = { ...base, actions: [{ actionId: "a", action: "close", reason: "stuck", at: 950, finishedAt: 990, outcome: "closed", ok: true }] };
    expect(sessionMarkers(s).find((m) => m.kind === "action")).toEqual({ kind: "action", at: 950, detail: "close → closed (“stuck”)" });
  });
  it("labels an open failure with its verdict's cause", () => {
    const verdict = { cause: "a" as const, title: "A server still holds the key, waiting for media", fix: "Reuse the holder's port" };
    const failed = { ...base, state: "open_failed" as const, failure: { code: -300, msg: "This stream already exists", kind: "conflict", verdict } };
    expect(sessionMarkers(failed)).toEqual([{ kind: "open_failed", at: 0, label: "!a", detail: "ZLM -300: This stream already exists — (a) A server still holds the key, waiting for media" }]);
    const holder = { ...base, rejectedOpens: [{ at: 600, code: -300, msg: "This stream already exists", verdict: { ...verdict, cause: "unknown" as const } }] };
    expect(sessionMarkers(holder).filter((m) => m.kind === "open_failed").map((m) => [m.at, m.label])).toEqual([[600, "!?"]]);
  });
});

describe("rows, restarts and the events behind a mark", () => {
  it("acts on a row's live session, else its newest", () => {
    const old = { ...base, id: "old", openedAt: 0 };
    const newer = { ...base, id: "newer", openedAt: 2000 };
    const live = { ...base, id: "live", openedAt: 1000, state: "receiving" as const, releasedAt: null };
    expect(rowSession({ id: "r", nodeId: "n", label: "", sublabel: "", sessions: [old, newer] })?.id).toBe("newer");
    expect(rowSession({ id: "r", nodeId: "n", label: "", sublabel: "", sessions: [old, live, newer] })?.id).toBe("live");
  });
  it("collects each node's restarts from the sessions they released", () => {
    const a = { ...base, id: "a", releaseConfirmedBy: "restart" as const, releasedAt: 500 };
    const b = { ...base, id: "b", releaseConfirmedBy: "restart" as const, releasedAt: 500 };
    const c = { ...base, id: "c", nodeId: "m", releaseConfirmedBy: "restart" as const, releasedAt: 200 };
    expect([...nodeRestarts([a, b, c, base])]).toEqual([["n", [500]], ["m", [200]]]);
  });
  it("picks the events nearest the pointer, in log order", () => {
    const ev = (id: number, at: number) => ({ id, at, nodeId: "n", kind: "rtp.opened" as const, key: "k", port: null, source: "hook" as const, payload: {} });
    const events = [ev(1, 0), ev(2, 100), ev(3, 200), ev(4, 300), ev(5, 1000)];
    expect(eventsNear(events, 220, 3).map((e) => e.id)).toEqual([2, 3, 4]);
  });
});

describe("keepRowOrder", () => {
  it("keeps the remembered order and puts rows that appeared since at the end", () => {
    const row = (id: string) => ({ id, label: id, sublabel: "", sessions: [] });
    const order = new Map([["b", 0], ["a", 1]]);
    expect(keepRowOrder([row("c"), row("a"), row("b"), row("d")], order).map((r) => r.id)).toEqual(["b", "a", "c", "d"]);
  });
});

describe("keepLiveRowOrder", () => {
  const row = (id: string) => ({ id, label: id, sublabel: "", sessions: [] });
  it("keeps each living row in its place and puts new rows on top", () => {
    // "a" had newer activity than "b" this frame: sorted newest first it would move above "b".
    expect(keepLiveRowOrder([row("n"), row("a"), row("b")], ["b", "a"]).map((r) => r.id)).toEqual(["n", "b", "a"]);
  });
  it("drops rows that left and takes the sorted order when nothing is remembered", () => {
    expect(keepLiveRowOrder([row("a"), row("c")], ["b", "a", "c"]).map((r) => r.id)).toEqual(["a", "c"]);
    expect(keepLiveRowOrder([row("c"), row("a")], []).map((r) => r.id)).toEqual(["c", "a"]);
  });
});
