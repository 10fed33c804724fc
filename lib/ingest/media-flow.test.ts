import { describe, expect, it } from "vitest";
import type { NewEvent, PortscopeEvent } from "../events/types";
import { Lifecycle } from "../lifecycle/reduce";
import { normalizeHook } from "./normalize-hook";
import { reconcile, type MediaListing, type ReconcileInput } from "./reconcile";
import { MEDIA_STALL_MS, type MediaFlow } from "./media-flow";

/**
 * Reconciliation of getMediaList's totalBytes, with snapshots shaped like the
 * real build's answers (one row per schema, hls ~2 s after the others, every
 * row carrying the input's counters read at slightly different moments).
 */
const KEY = "__defaultVhost__/rtp/cam";
const SCHEMAS = ["hls", "ts", "rtsp", "rtmp", "fmp4"] as const;
const server = { vhost: "__defaultVhost__", app: "rtp", stream_id: "cam", port: 30000, tcp_mode: 0, ssrc: 7, only_track: 0 };
const mediaRows = (totalBytes: number, bytesSpeed: number, schemas: readonly string[] = SCHEMAS) =>
  // The first rows are read a moment earlier: a little less counted, as in the recordings.
  schemas.map((schema, i) => ({ vhost: "__defaultVhost__", app: "rtp", stream: "cam", schema, originType: 3, totalBytes: Math.max(0, totalBytes - (schemas.length - 1 - i) * 100), bytesSpeed }));

class Harness {
  readonly model = new Lifecycle();
  readonly flows = new Map<string, MediaFlow>();
  readonly log: PortscopeEvent[] = [];
  private id = 0;
  feed(events: NewEvent[]): NewEvent[] {
    for (const e of events) {
      const stored = { ...e, id: ++this.id } as PortscopeEvent;
      this.log.push(stored);
      this.model.apply(stored);
    }
    return events;
  }
  poll(at: number, media: MediaListing[] | null, listed = true, extra: Partial<ReconcileInput> = {}): NewEvent[] {
    return this.feed(reconcile({ nodeId: "n", at, rtpServers: listed ? [server] : [], media, mediaFlow: this.flows, ...extra }, this.model));
  }
  hook(at: number, hook: string, body: Record<string, unknown>): NewEvent[] {
    return this.feed(normalizeHook({ nodeId: "n", hook, body: { vhost: "__defaultVhost__", app: "rtp", ...body }, at }, this.model));
  }
  session() {
    return this.model.latestSession("n", KEY)!;
  }
}
const flowKinds = (evs: NewEvent[]) => evs.filter((e) => e.kind === "rtp.media_stopped" || e.kind === "rtp.receiving").map((e) => e.kind);

/** Opened and receiving at t=0..2000, media flowing at ~50 kB/s. */
function receivingCamera(): Harness {
  const h = new Harness();
  h.poll(0, []);
  h.hook(300, "on_publish", { stream: "cam", schema: "rtp" });
  h.poll(2000, mediaRows(100_000, 50_000, ["ts", "rtsp", "rtmp", "fmp4"]));
  expect(h.session().state).toBe("receiving");
  return h;
}

describe("media that stops while its stream stays registered", () => {
  it("a total frozen for one poll is nothing; frozen for the threshold gives one media_stopped with the evidence", () => {
    const h = receivingCamera();
    expect(flowKinds(h.poll(4000, mediaRows(200_000, 50_000)))).toEqual([]);
    // The camera stops at ~4.5 s; ZLM's bytesSpeed is 0 a second later, the total frozen.
    expect(flowKinds(h.poll(6000, mediaRows(225_000, 0)))).toEqual([]);
    expect(flowKinds(h.poll(7000, mediaRows(225_000, 0)))).toEqual([]); // frozen for one poll, 1 s: nothing yet
    const stopped = h.poll(6000 + MEDIA_STALL_MS, mediaRows(225_000, 0));
    expect(flowKinds(stopped)).toEqual(["rtp.media_stopped"]);
    expect(stopped[0]).toMatchObject({ source: "poll", at: 8000, port: 30000, payload: { seenBy: "getMediaList", totalBytes: 225_000, frozenSince: 6000, frozenMs: 2000, bytesSpeed: 0 } });
    expect(h.session()).toMatchObject({ state: "media_stopped", mediaStoppedAt: 8000, timedOutAt: null });
    // Never again while it holds.
    for (const t of [10_000, 12_000, 14_000]) expect(flowKinds(h.poll(t, mediaRows(225_000, 0)))).toEqual([]);
  });

  it("a total that grows again gives one rtp.receiving, and a later stall is reported again", () => {
    const h = receivingCamera();
    h.poll(4000, mediaRows(200_000, 0));
    h.poll(6000, mediaRows(200_000, 0));
    expect(h.session().state).toBe("media_stopped");
    const resumed = h.poll(8000, mediaRows(260_000, 30_000));
    expect(flowKinds(resumed)).toEqual(["rtp.receiving"]);
    expect(resumed[0]).toMatchObject({ source: "poll", payload: { seenBy: "getMediaList", totalBytes: 260_000, stoppedSince: 4000 } });
    expect(h.session()).toMatchObject({ state: "receiving", firstMediaAt: 300, mediaStoppedAt: null });
    expect(flowKinds(h.poll(10_000, mediaRows(360_000, 50_000)))).toEqual([]);
    expect(flowKinds(h.poll(11_000, mediaRows(360_000, 0)))).toEqual([]);
    expect(flowKinds(h.poll(12_000, mediaRows(360_000, 0)))).toEqual(["rtp.media_stopped"]);
    expect(h.log.filter((e) => e.kind === "rtp.media_stopped" || e.kind === "rtp.receiving").map((e) => [e.kind, e.at])).toEqual([
      ["rtp.receiving", 300],
      ["rtp.media_stopped", 6000],
      ["rtp.receiving", 8000],
      ["rtp.media_stopped", 12_000],
    ]);
  });

  it("the stream unregistering adds nothing beyond what the hooks say, and the memory is cleared", () => {
    const h = receivingCamera();
    h.poll(4000, mediaRows(200_000, 0));
    h.poll(6000, mediaRows(200_000, 0));
    expect(h.flows.size).toBe(1);
    const timeout = h.hook(12_000, "on_rtp_server_timeout", { stream_id: "cam", local_port: 30000 });
    expect(timeout.map((e) => e.kind)).toEqual(["rtp.timed_out"]); // media stopped was already known
    for (const schema of SCHEMAS) h.hook(12_010, "on_stream_changed", { stream: "cam", schema, regist: false });
    const after = h.poll(12_500, [], false);
    expect(flowKinds(after)).toEqual([]);
    expect(after.map((e) => e.kind)).toEqual(["rtp.released"]);
    expect(h.flows.size).toBe(0);
    expect(h.session()).toMatchObject({ state: "released", mediaStoppedAt: 6000, timedOutAt: 12_000, endCause: "timed out" });
  });

  it("a stream that unregisters while receiving: the registration check says media stopped, once", () => {
    const h = receivingCamera();
    h.poll(4000, mediaRows(200_000, 50_000));
    const evs = h.poll(6000, []);
    expect(evs.map((e) => e.kind)).toEqual(["rtp.media_stopped", "stream.unregistered"]);
    expect(h.flows.size).toBe(0);
    expect(flowKinds(h.poll(8000, []))).toEqual([]);
  });

  it("a paused session (pauseRtpCheck) shows media stopped; the pause ends there", () => {
    const h = receivingCamera();
    h.feed([{ at: 2500, nodeId: "n", kind: "tap.call", key: KEY, port: 30000, source: "tap", payload: { endpoint: "pauseRtpCheck", params: { pause_seconds: "12" }, answer: { code: 0 }, code: 0 } }]);
    expect(h.session().state).toBe("paused");
    h.poll(4000, mediaRows(150_000, 0));
    h.poll(5000, mediaRows(150_000, 0));
    expect(flowKinds(h.poll(6000, mediaRows(150_000, 0)))).toEqual(["rtp.media_stopped"]);
    expect(h.session()).toMatchObject({ state: "media_stopped", mediaStoppedAt: 6000, pauses: [{ from: 2500, to: 6000, until: 14_500 }] });
  });

  it("never undoes what the model learned after the poll began, and ignores an older snapshot finishing late", () => {
    const h = receivingCamera();
    h.poll(4000, mediaRows(200_000, 0));
    // A stream.registered (hls) lands while the 6 s poll is in flight: that poll waits, the next one decides.
    h.hook(6100, "on_stream_changed", { stream: "cam", schema: "hls", regist: true, originType: 3 });
    expect(flowKinds(h.poll(6000, mediaRows(200_000, 0)))).toEqual([]);
    expect(flowKinds(h.poll(5000, mediaRows(200_000, 0)))).toEqual([]); // began before the last one judged
    expect(flowKinds(h.poll(8000, mediaRows(200_000, 0)))).toEqual(["rtp.media_stopped"]);
  });

  it("a late hls registration of the still registered stream is not media again; a stream registered anew is", () => {
    const h = receivingCamera();
    h.poll(4000, mediaRows(200_000, 0, ["ts", "rtsp", "rtmp", "fmp4"]));
    h.poll(6000, mediaRows(200_000, 0, ["ts", "rtsp", "rtmp", "fmp4"]));
    expect(h.session().state).toBe("media_stopped");
    expect(h.hook(6100, "on_stream_changed", { stream: "cam", schema: "hls", regist: true, originType: 3 }).map((e) => e.kind)).toEqual(["stream.registered"]);
    expect(flowKinds(h.poll(8000, mediaRows(200_000, 0)))).toEqual([]);
    expect(h.session().state).toBe("media_stopped");
    // All schemas go, then the camera publishes again: the hooks say receiving, the poll agrees.
    for (const schema of SCHEMAS) h.hook(9000, "on_stream_changed", { stream: "cam", schema, regist: false });
    h.poll(9500, []);
    expect(h.hook(10_000, "on_stream_changed", { stream: "cam", schema: "rtsp", regist: true, originType: 3 }).map((e) => e.kind)).toEqual(["stream.registered", "rtp.receiving"]);
    expect(flowKinds(h.poll(11_000, mediaRows(30_000, 40_000)))).toEqual([]);
    expect(h.session()).toMatchObject({ state: "receiving", mediaStoppedAt: null });
  });

  it("a hook that says receiving while the total stays frozen: the next poll reports the stop again", () => {
    const h = receivingCamera();
    h.poll(4000, mediaRows(200_000, 0));
    h.poll(6000, mediaRows(200_000, 0));
    h.feed([{ at: 6500, nodeId: "n", kind: "rtp.receiving", key: KEY, port: 30000, source: "hook", payload: {} }]);
    expect(h.session().state).toBe("receiving");
    expect(flowKinds(h.poll(7000, mediaRows(200_000, 0)))).toEqual(["rtp.media_stopped"]);
  });

  it("a new session of the key, or a counter that went back, starts over instead of comparing", () => {
    const h = receivingCamera();
    h.poll(4000, mediaRows(200_000, 0));
    // Counter reset: a new stream under the key (re-registered between polls).
    expect(flowKinds(h.poll(6000, mediaRows(5_000, 20_000)))).toEqual([]);
    expect(flowKinds(h.poll(7000, mediaRows(5_000, 0)))).toEqual([]);
    expect(flowKinds(h.poll(8000, mediaRows(5_000, 0)))).toEqual(["rtp.media_stopped"]);
  });

  it("a waiting server whose stream appears is receiving, and its first total is only a baseline", () => {
    const h = new Harness();
    h.poll(0, []);
    const first = h.poll(3000, mediaRows(40_000, 0));
    expect(first.map((e) => e.kind)).toEqual(["rtp.receiving", "stream.registered"]);
    expect(flowKinds(h.poll(4000, mediaRows(40_000, 0)))).toEqual([]);
    expect(flowKinds(h.poll(5000, mediaRows(40_000, 0)))).toEqual(["rtp.media_stopped"]);
  });

  it("without the caller's memory (or without totalBytes) nothing is inferred", () => {
    const h = receivingCamera();
    for (const t of [4000, 6000, 8000]) expect(flowKinds(h.feed(reconcile({ nodeId: "n", at: t, rtpServers: [server], media: mediaRows(200_000, 0) }, h.model)))).toEqual([]);
    const bare = mediaRows(0, 0).map(({ totalBytes: _t, ...r }) => r);
    for (const t of [10_000, 12_000, 14_000]) expect(flowKinds(h.poll(t, bare))).toEqual([]);
    expect(h.session().state).toBe("receiving");
  });
});

describe("a paused stream whose media stops, then times out", () => {
  it("media_stopped from a poll, receiving again, then a timeout keeps the poll's mediaStoppedAt", () => {
    const h = receivingCamera();
    h.feed([{ at: 2500, nodeId: "n", kind: "tap.call", key: KEY, port: 30000, source: "tap", payload: { endpoint: "pauseRtpCheck", params: { pause_seconds: "60" }, answer: { code: 0 }, code: 0 } }]);
    h.poll(4000, mediaRows(200_000, 0));
    h.poll(6000, mediaRows(200_000, 0));
    h.poll(8000, mediaRows(250_000, 10_000));
    h.poll(10_000, mediaRows(250_000, 0));
    h.poll(12_000, mediaRows(250_000, 0));
    h.hook(20_000, "on_rtp_server_timeout", { stream_id: "cam", local_port: 30000 });
    const model = h.session();
    expect(model).toMatchObject({ state: "timed_out", firstMediaAt: 300, mediaStoppedAt: 10_000, timedOutAt: 20_000, pauses: [{ from: 2500, to: 6000 }] });
  });
});
