import { describe, expect, it } from "vitest";
import { RecentByStream } from "./recent-by-stream";
import type { PortscopeEvent } from "./types";

let id = 0;
const ev = (kind: string, key: string | null, at: number): PortscopeEvent => ({ id: ++id, at, nodeId: "n1", kind: kind as PortscopeEvent["kind"], key, port: null, source: "hook", hookIndex: null, payload: {} });

describe("RecentByStream", () => {
  it("keeps a minute of the asked kinds per stream id, across vhost/app, and nothing else", () => {
    const r = new RecentByStream(60_000, new Set(["rtp.closed", "stream.unregistered"]));
    r.add([ev("rtp.closed", "__defaultVhost__/rtp/cam/1", 1000), ev("stream.flow_report", "__defaultVhost__/rtp/cam/1", 1100), ev("stream.unregistered", "v2/live/cam/1", 1200)]);
    expect(r.get("cam/1", 0).map((e) => e.kind)).toEqual(["rtp.closed", "stream.unregistered"]);
    r.add([ev("rtp.closed", "__defaultVhost__/rtp/cam/1", 62_000)]);
    expect(r.get("cam/1", 0).map((e) => e.at)).toEqual([62_000]);
  });

  it("without a kind filter keeps every keyed event", () => {
    const r = new RecentByStream();
    r.add([ev("stream.flow_report", "__defaultVhost__/rtp/s", 1), ev("node.keepalive", null, 2)]);
    expect(r.get("s", 0)).toHaveLength(1);
    expect(r.size).toBe(1);
  });

  it("past the stream limit forgets streams silent for the window, at most once per window/6", () => {
    const r = new RecentByStream(60_000, null, 3);
    const old = Date.now() - 120_000;
    r.add([ev("rtp.closed", "v/a/old1", old), ev("rtp.closed", "v/a/old2", old), ev("rtp.closed", "v/a/old3", old)]);
    expect(r.size).toBe(3);
    r.add([ev("rtp.closed", "v/a/new1", Date.now())]);
    expect(r.size).toBe(1); // the sweep ran: only the live stream is left
    r.add([ev("rtp.closed", "v/a/x1", old), ev("rtp.closed", "v/a/x2", old), ev("rtp.closed", "v/a/x3", old)]);
    expect(r.size).toBe(4); // over the limit again, but a sweep ran under 10 s ago
  });
});
