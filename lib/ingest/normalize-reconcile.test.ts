import { describe, expect, it } from "vitest";
import type { NewEvent, PortscopeEvent } from "../events/types";
import { Lifecycle } from "../lifecycle/reduce";
import { hookFixtures } from "../zlm/fixtures";
import { normalizeHook } from "./normalize-hook";
import { reconcile, type ReconcileInput } from "./reconcile";

const KEY = "__defaultVhost__/rtp/cam";
let id = 0;
function feed(model: Lifecycle, events: NewEvent[]): NewEvent[] {
  for (const e of events) model.apply({ ...e, id: ++id } as PortscopeEvent);
  return events;
}
const hook = (model: Lifecycle, name: string, body: Record<string, unknown>, at = 1000) => feed(model, normalizeHook({ nodeId: "n", hook: name, body, at }, model));
const row = (stream: string, port: number) => ({ vhost: "__defaultVhost__", app: "rtp", stream_id: stream, port, tcp_mode: 0, ssrc: 0, only_track: 0 });
const poll = (model: Lifecycle, input: Partial<ReconcileInput>) => feed(model, reconcile({ nodeId: "n", at: 5000, rtpServers: [], media: null, ...input }, model));
const kinds = (evs: NewEvent[]) => evs.map((e) => e.kind);

describe("normalizeHook", () => {
  it("turns every recorded hook into at least one event, keyed and redacted", () => {
    const model = new Lifecycle();
    for (const f of hookFixtures()) {
      const evs = normalizeHook({ nodeId: "n", hook: f.path.split("/").pop()!, body: f.json, at: 1 }, model);
      expect(evs.length, f.file).toBeGreaterThan(0);
      expect(evs.every((e) => e.source === "hook" && e.hookIndex === f.json.hook_index)).toBe(true);
      expect(JSON.stringify(evs)).not.toContain(String(f.json["api.secret"] ?? "never-present-value"));
    }
  });

  it("emits a lifecycle transition once, however many hooks say it", () => {
    const model = new Lifecycle();
    poll(model, { rtpServers: [row("cam", 30000)] });
    const pub = hook(model, "on_publish", { app: "rtp", stream: "cam", vhost: "__defaultVhost__", schema: "rtp", hook_index: 1 });
    const reg = hook(model, "on_stream_changed", { app: "rtp", stream: "cam", vhost: "__defaultVhost__", schema: "rtsp", regist: true, originType: 3, hook_index: 2 });
    expect(kinds(pub)).toEqual(["stream.publish", "rtp.receiving"]);
    expect(kinds(reg)).toEqual(["stream.registered"]);
  });

  it("a timeout while receiving means media stopped first; regist=false afterwards adds nothing", () => {
    const model = new Lifecycle();
    poll(model, { rtpServers: [row("cam", 30000)] });
    hook(model, "on_publish", { app: "rtp", stream: "cam", vhost: "__defaultVhost__", hook_index: 1 });
    const t = hook(model, "on_rtp_server_timeout", { app: "rtp", stream_id: "cam", vhost: "__defaultVhost__", local_port: 30000, hook_index: 8 });
    expect(kinds(t)).toEqual(["rtp.media_stopped", "rtp.timed_out"]);
    expect(kinds(hook(model, "on_stream_changed", { app: "rtp", stream: "cam", vhost: "__defaultVhost__", schema: "hls", regist: false, hook_index: 9 }))).toEqual(["stream.unregistered"]);
  });

  it("regist=false arriving before the timeout (out of order) gives media stopped, then timed out", () => {
    const model = new Lifecycle();
    poll(model, { rtpServers: [row("cam", 30000)] });
    hook(model, "on_publish", { app: "rtp", stream: "cam", vhost: "__defaultVhost__", hook_index: 1 });
    expect(kinds(hook(model, "on_stream_changed", { app: "rtp", stream: "cam", vhost: "__defaultVhost__", schema: "ts", regist: false, hook_index: 12 }))).toEqual(["stream.unregistered", "rtp.media_stopped"]);
    expect(kinds(hook(model, "on_rtp_server_timeout", { app: "rtp", stream_id: "cam", vhost: "__defaultVhost__", local_port: 30000, hook_index: 11 }))).toEqual(["rtp.timed_out"]);
    expect(model.currentSession("n", KEY)?.state).toBe("timed_out");
  });

  it("marks the stray hls registration of a teardown and does not call it media", () => {
    const model = new Lifecycle();
    poll(model, { rtpServers: [row("cam", 30000)] });
    const evs = hook(model, "on_stream_changed", { app: "rtp", stream: "cam", vhost: "__defaultVhost__", schema: "hls", regist: true, originType: 0, hook_index: 3 });
    expect(kinds(evs)).toEqual(["stream.registered"]);
    expect(evs[0].payload.strayTeardownRegistration).toBe(true);
    expect(model.currentSession("n", KEY)?.state).toBe("waiting");
  });

  it("keeps unknown hooks as hook.other with their body", () => {
    const evs = normalizeHook({ nodeId: "n", hook: "on_rtsp_auth", body: { user_name: "u", hook_index: 5 }, at: 1 }, new Lifecycle());
    expect(evs).toEqual([expect.objectContaining({ kind: "hook.other", payload: { hook: "on_rtsp_auth", body: { user_name: "u", hook_index: 5 } } })]);
  });
});

describe("reconcile", () => {
  it("discovers listed servers, their media, and releases what is gone", () => {
    const model = new Lifecycle();
    expect(kinds(poll(model, { rtpServers: [row("cam", 30000)], media: [{ vhost: "__defaultVhost__", app: "rtp", stream: "cam", schema: "rtsp" }] }))).toEqual(["rtp.opened", "rtp.receiving", "stream.registered"]);
    expect(poll(model, { rtpServers: [row("cam", 30000)], media: [{ vhost: "__defaultVhost__", app: "rtp", stream: "cam", schema: "rtsp" }] })).toEqual([]);
    hook(model, "on_rtp_server_timeout", { app: "rtp", stream_id: "cam", vhost: "__defaultVhost__", local_port: 30000, hook_index: 8 });
    const gone = poll(model, { at: 9000, rtpServers: [], media: [] });
    expect(kinds(gone)).toEqual(["rtp.released", "stream.unregistered"]);
    expect(gone[0].payload).toMatchObject({ confirmedBy: "poll", cause: "timed out" });
  });

  it("waits a grace period before declaring an unexplained disappearance (ZLM erases before it sends the timeout hook)", () => {
    const model = new Lifecycle();
    const unlistedSince = new Map<string, number>();
    poll(model, { rtpServers: [row("cam", 30000)], unlistedSince });
    expect(poll(model, { at: 6000, rtpServers: [], unlistedSince })).toEqual([]);
    const late = poll(model, { at: 7600, rtpServers: [], unlistedSince });
    expect(late.map((e) => [e.kind, e.payload.cause])).toEqual([["rtp.released", "vanished"]]);
  });

  it("a server gone after the node restarted is released with that cause", () => {
    const model = new Lifecycle();
    poll(model, { at: 1000, rtpServers: [row("cam", 30000)] });
    hook(model, "on_server_started", { "general.mediaServerId": "m", hook_index: 0 }, 2000);
    expect(poll(model, { at: 3000, rtpServers: [], unlistedSince: new Map() }).map((e) => e.payload.cause)).toEqual(["node restarted"]);
  });

  it("a new mediaServerId is a restart: everything released, everything listed is new", () => {
    const model = new Lifecycle();
    feed(model, [{ at: 0, nodeId: "n", kind: "node.config", key: null, port: null, source: "poll", payload: { mediaServerId: "old" } }]);
    poll(model, { rtpServers: [row("cam", 30000)] });
    expect(kinds(poll(model, { at: 9000, mediaServerId: "new", rtpServers: [row("cam", 30002)] }))).toEqual(["node.restarted", "rtp.opened"]);
  });

  it("a key reopened on another port between two polls: old released, new opened", () => {
    const model = new Lifecycle();
    poll(model, { rtpServers: [row("cam", 30000)] });
    const evs = poll(model, { at: 6000, rtpServers: [row("cam", 30002)] });
    expect(evs.map((e) => [e.kind, e.port])).toEqual([["rtp.released", 30000], ["rtp.opened", 30002]]);
  });

  it("never undoes what the model learned after the poll started", () => {
    const model = new Lifecycle();
    feed(model, [{ at: 6000, nodeId: "n", kind: "rtp.opened", key: KEY, port: 30000, source: "tap", payload: {} }]);
    expect(poll(model, { at: 5000, rtpServers: [] })).toEqual([]);
  });
});

describe("reconcile: media without a server", () => {
  it("is reported once per key by a poll, and a later open of the key clears it", () => {
    const model = new Lifecycle();
    const media = [{ vhost: "__defaultVhost__", app: "rtp", stream: "cam", schema: "rtsp" }];
    expect(kinds(poll(model, { media }))).toEqual(["stream.registered", "stream.without_server"]);
    expect(poll(model, { media })).toEqual([]);
    expect(model.anomalies(6000)).toEqual([]); // a teardown's moment, not yet an anomaly
    expect(model.anomalies(10_000).map((a) => [a.type, a.active])).toEqual([["media_without_server", true]]);
    poll(model, { at: 11_000, media, rtpServers: [row("cam", 30000)] });
    expect(model.anomalies(12_000).map((a) => [a.type, a.active])).toEqual([["media_without_server", false]]);
  });
});
