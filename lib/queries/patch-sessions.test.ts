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
