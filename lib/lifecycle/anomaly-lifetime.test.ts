import { describe, expect, it } from "vitest";
import type { NewEvent, PortscopeEvent } from "../events/types";
import { Lifecycle } from "./reduce";
import { normalizeHook } from "../ingest/normalize-hook";

/**
 * Anomalies whose evidence recurs stop being active when it stops (found
 * against a real ZLM: a ghost stayed flagged 18 min after the restart that
 * ended it, repeated timeouts 19 min after the last), and the "already
 * exists while absent" contradiction is seen in either order.
 */
const NODE = "n";
const key = (stream: string) => `__defaultVhost__/rtp/${stream}`;

function harness() {
  const model = new Lifecycle();
  let id = 0;
  const feed = (events: NewEvent[]) => events.forEach((e) => model.apply({ ...e, id: ++id } as PortscopeEvent));
  const hook = (name: string, body: Record<string, unknown>, at: number) => feed(normalizeHook({ nodeId: NODE, hook: name, body: { mediaServerId: "m", ...body }, at }, model));
  const timeoutHook = (stream: string, port: number, at: number, hookIndex: number) => hook("on_rtp_server_timeout", { app: "rtp", stream_id: stream, vhost: "__defaultVhost__", local_port: port, re_use_port: false, ssrc: 0, tcp_mode: 1, hook_index: hookIndex }, at);
  const active = (type: string, at: number) => model.anomalies(at).filter((a) => a.type === type && a.active).length;
  return { model, feed, hook, timeoutHook, active };
}

describe("anomaly lifetimes", () => {
  it("a ghost receiver is cleared by ZLM's restart, and comes back with its next hook if it survived", () => {
    const h = harness();
    for (let i = 0; i < 3; i++) h.timeoutHook("t_badport", 8080, 1000 + i * 3000, i + 1);
    expect(h.active("ghost_receiver", 8000)).toBe(1);
    h.hook("on_server_started", { "general.mediaServerId": "m", "api.secret": "s", hook_index: 10 }, 9000);
    expect(h.active("ghost_receiver", 9500)).toBe(0);
    h.timeoutHook("t_badport", 8080, 12_000, 11);
    expect(h.active("ghost_receiver", 12_500)).toBe(1);
  });

  it("a ghost that went quiet for a minute is no longer active", () => {
    const h = harness();
    for (let i = 0; i < 3; i++) h.timeoutHook("t_badport", 8080, 1000 + i * 3000, i + 1);
    expect(h.active("ghost_receiver", 60_000)).toBe(1);
    expect(h.active("ghost_receiver", 7000 + 60_001)).toBe(0);
    expect(h.model.anomalies(200_000).find((a) => a.type === "ghost_receiver")).toMatchObject({ active: false, count: 3 });
  });

  it("repeated timeouts stop being active once the 10-minute window has no timeout", () => {
    const h = harness();
    for (let i = 0; i < 3; i++) {
      h.feed([{ at: i * 20_000, nodeId: NODE, kind: "rtp.opened", key: key("loop"), port: 30000, source: "tap", payload: { port: 30000 } }]);
      h.hook("on_rtp_server_timeout", { app: "rtp", stream_id: "loop", vhost: "__defaultVhost__", local_port: 30000, re_use_port: false, ssrc: 0, tcp_mode: 0, hook_index: 100 + i }, i * 20_000 + 15_000);
    }
    const last = 2 * 20_000 + 15_000;
    expect(h.active("repeated_timeouts", last + 1000)).toBe(1);
    expect(h.active("repeated_timeouts", last + 10 * 60_000)).toBe(1);
    expect(h.active("repeated_timeouts", last + 10 * 60_000 + 1)).toBe(0);
  });

  it("a lost timeout hook is an incident for the 10-minute window after it, then history", () => {
    const h = harness();
    h.feed([
      { at: 0, nodeId: NODE, kind: "node.config", key: null, port: null, source: "poll", payload: { timeoutSec: 5 } },
      { at: 1, nodeId: NODE, kind: "rtp.opened", key: key("lost"), port: 30000, source: "poll", payload: { port: 30000, tcp_mode: 0 } },
      { at: 6_500, nodeId: NODE, kind: "rtp.released", key: key("lost"), port: 30000, source: "poll", payload: { confirmedBy: "poll", cause: "vanished" } },
    ]);
    expect(h.active("vanished_without_hook", 6_500 + 10 * 60_000)).toBe(1);
    expect(h.active("vanished_without_hook", 6_500 + 10 * 60_000 + 1)).toBe(0);
    expect(h.model.anomalies(6_500 + 11 * 60_000).find((a) => a.type === "vanished_without_hook")).toMatchObject({ active: false, count: 1 });
  });

  it("'already exists' then getRtpInfo absent raises exists_but_absent, as the other order does", () => {
    const h = harness();
    h.feed([{ at: 1000, nodeId: NODE, kind: "rtp.open_failed", key: key("cam"), port: null, source: "tap", payload: { endpoint: "openRtpServer", code: -300, msg: "This stream already exists", kind: "conflict", rtpInfoExist: null } }]);
    expect(h.active("exists_but_absent", 1500)).toBe(0);
    h.feed([{ at: 1200, nodeId: NODE, kind: "tap.call", key: key("cam"), port: null, source: "tap", payload: { endpoint: "getRtpInfo", code: 0, answer: { code: 0, exist: false }, conflictBeforeAt: 1000 } }]);
    expect(h.active("exists_but_absent", 1500)).toBe(1);
    // A getRtpInfo with no conflict before it is no contradiction.
    h.feed([{ at: 1300, nodeId: NODE, kind: "tap.call", key: key("other"), port: null, source: "tap", payload: { endpoint: "getRtpInfo", code: 0, answer: { code: 0, exist: false } } }]);
    expect(h.model.anomalies(1500).filter((a) => a.type === "exists_but_absent").map((a) => a.key)).toEqual([key("cam")]);
  });
});
