import { describe, expect, it } from "vitest";
import type { EventKind, PortscopeEvent } from "../events/types";
import { Lifecycle } from "./reduce";
import { countBySeverity, INCIDENT_SEVERITY } from "./incidents";

/**
 * Incidents: one per kind and key, with a severity, acknowledged and silenced
 * by operator events, resolved by the model when the condition ends, labelled
 * when the demo staged their cause. Each detector is held to its cause and to
 * the look-alike that must stay silent.
 */
const KEY = "__defaultVhost__/rtp/cam";
let id = 1;
const ev = (kind: EventKind, at: number, extra: Partial<PortscopeEvent> = {}): PortscopeEvent => ({ id: id++, at, nodeId: "n", kind, key: KEY, port: 30000, source: "hook", payload: {}, hookIndex: null, ...extra });
const model = (events: PortscopeEvent[]) => {
  const l = new Lifecycle();
  for (const e of events) l.apply(e);
  return l;
};
const ghost = (at: number) => ev("rtp.timed_out", at, { port: 8080, payload: { local_port: 8080 } });
const mark = (kind: "incident.acknowledged" | "incident.silenced", at: number, incidentId: string, extra: Record<string, unknown> = {}) => ev(kind, at, { key: null, port: null, source: "action", payload: { incidentId, by: "alice", reason: "known: restart tonight", ...extra } });

describe("incidents", () => {
  it("one per kind and key, counted, with the kind's severity", () => {
    const l = model([ghost(0), ghost(3000), ghost(6000)]);
    const [i] = l.incidents(6500);
    expect(l.incidents(6500)).toHaveLength(1);
    expect(i).toMatchObject({ type: "ghost_receiver", severity: "warning", state: "open", count: 3, key: KEY, port: 8080, acknowledged: null, staged: null });
    expect(countBySeverity(l.incidents(6500))).toEqual({ critical: 0, warning: 1, info: 0 });
  });

  it("an acknowledgement names who and why, and is void once the condition ended and came back", () => {
    const l = model([ghost(0)]);
    const incidentId = l.incidents(1)[0].id;
    l.apply(mark("incident.acknowledged", 10, incidentId));
    expect(l.incidents(20)[0]).toMatchObject({ state: "acknowledged", acknowledged: { by: "alice", reason: "known: restart tonight", at: 10 } });
    l.apply(ev("node.started", 100, { key: null, port: null })); // a new ZLM process has no ghosts
    expect(l.incidents(200)[0]).toMatchObject({ state: "resolved", endedAt: 100 });
    l.apply(ghost(3100));
    expect(l.incidents(3200)[0]).toMatchObject({ state: "open", acknowledged: null, activeSince: 3100 });
  });

  it("a silence lasts until its end, then the incident is open again", () => {
    const l = model([ghost(0)]);
    const incidentId = l.incidents(1)[0].id;
    l.apply(mark("incident.silenced", 10, incidentId, { until: 30_000 }));
    expect(l.incidents(20_000)[0]).toMatchObject({ state: "silenced", silenced: { until: 30_000, by: "alice" } });
    l.apply(ghost(25_000));
    expect(l.incidents(30_001)[0].state).toBe("open");
  });

  it("is labelled staged when the demo staged its cause, and only then", () => {
    const staged = model([ev("demo.staged", 0, { source: "system", payload: { kind: "ghost_receiver", until: 60_000, label: "ghost receiver (failed tcp_mode=1 open)" } }), ghost(1000)]);
    expect(staged.incidents(2000)[0].staged).toBe("ghost receiver (failed tcp_mode=1 open)");
    const other = model([ev("demo.staged", 0, { source: "system", payload: { kind: "repeated_timeouts", until: 60_000 } }), ghost(1000)]);
    expect(other.incidents(2000)[0].staged).toBeNull();
    const later = model([ev("demo.staged", 0, { source: "system", payload: { kind: "ghost_receiver", until: 500 } }), ghost(1000)]);
    expect(later.incidents(2000)[0].staged).toBeNull();
  });

  it("every kind has a severity", () => {
    expect(Object.keys(INCIDENT_SEVERITY).sort()).toEqual(["exists_but_absent", "ghost_receiver", "media_without_server", "port_pool_high", "repeated_timeouts", "vanished_without_hook", "waiting_past_timeout"]);
  });
});

describe("each detector fires on its cause and stays silent on the look-alike", () => {
  const loop = (withMedia: boolean) => {
    const evs: PortscopeEvent[] = [];
    for (let i = 0; i < 3; i++) {
      const t = i * 20_000;
      evs.push(ev("rtp.opened", t, { source: "tap", payload: { port: 30000 } }));
      if (withMedia) evs.push(ev("rtp.receiving", t + 500), ev("rtp.media_stopped", t + 5_000));
      evs.push(ev("rtp.timed_out", t + 18_000, { payload: { local_port: 30000 } }), ev("rtp.released", t + 18_100, { source: "poll", payload: { confirmedBy: "poll" } }));
    }
    return model(evs);
  };
  it("repeated_timeouts: an open loop that never gets media, not timeouts that follow a camera's media stalls", () => {
    expect(loop(false).incidents(60_000).map((i) => i.type)).toEqual(["repeated_timeouts"]);
    expect(loop(true).incidents(60_000)).toEqual([]);
  });

  it("exists_but_absent: a refusal while getRtpInfo said absent, not one while the stream is live; it resolves when the waiting server gets media", () => {
    const refused = (exist: boolean) => ev("rtp.open_failed", 500, { source: "tap", payload: { code: -300, msg: "This stream already exists", kind: "conflict", rtpInfoExist: exist } });
    const waiting = model([ev("rtp.opened", 0, { source: "tap" }), refused(false)]);
    expect(waiting.incidents(600).map((i) => [i.type, i.state])).toEqual([["exists_but_absent", "open"]]);
    waiting.apply(ev("rtp.receiving", 900));
    expect(waiting.incidents(1000).map((i) => [i.type, i.state])).toEqual([["exists_but_absent", "resolved"]]);
    expect(model([ev("rtp.opened", 0, { source: "tap" }), ev("rtp.receiving", 100), refused(true)]).incidents(600)).toEqual([]);
  });

  it("vanished_without_hook: not for a session a reopen replaced between two polls", () => {
    const l = model([ev("node.config", 0, { key: null, port: null, source: "poll", payload: { timeoutSec: 5 } }), ev("rtp.opened", 0, { source: "poll" }), ev("rtp.released", 30_000, { source: "poll", payload: { confirmedBy: "poll", cause: "replaced" } }), ev("rtp.opened", 30_000, { source: "poll", port: 30002 })]);
    expect(l.incidents(31_000)).toEqual([]);
    expect(l.sessions().map((s) => s.endCause)).toEqual([null, "replaced"]);
  });

  it("waiting_past_timeout: a server listed without media past timeoutSec + 3 s, not a paused or receiving one", () => {
    const config = ev("node.config", 0, { key: null, port: null, source: "poll", payload: { timeoutSec: 5 } });
    expect(model([config, ev("rtp.opened", 0)]).incidents(8_500).map((i) => [i.type, i.severity])).toEqual([["waiting_past_timeout", "critical"]]);
    expect(model([config, ev("rtp.opened", 0), ev("rtp.receiving", 100)]).incidents(8_500)).toEqual([]);
  });
});
