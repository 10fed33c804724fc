import { describe, expect, it } from "vitest";
import { describeKey, reopenParams } from "./preflight";
import type { MediaSourceRow, RtpServerRow } from "../zlm/schemas";

const holder: RtpServerRow = { app: "rtp", only_track: 0, port: 30010, ssrc: 200000123, stream_id: "cam", tcp_mode: 0, vhost: "__defaultVhost__" };
const media = (bytesSpeed: number): MediaSourceRow[] => ["rtsp", "rtmp"].map((schema) => ({ app: "rtp", stream: "cam", schema, vhost: "__defaultVhost__", bytesSpeed }));

describe("what a key is doing", () => {
  it("absent, waiting, receiving, stalled and paused, with the rate", () => {
    expect(describeKey(null, [], null)).toMatchObject({ held: false, activity: "absent", mediaLive: false, bytesPerSec: null });
    expect(describeKey(holder, [], { state: "waiting" })).toMatchObject({ held: true, port: 30010, tcpMode: 0, ssrc: 200000123, activity: "waiting", mediaLive: false });
    expect(describeKey(holder, media(28_100), { state: "receiving" })).toMatchObject({ activity: "receiving", mediaLive: true, bytesPerSec: 28_100 });
    expect(describeKey(holder, media(0), { state: "receiving" })).toMatchObject({ activity: "stalled", mediaLive: false, bytesPerSec: 0 });
    expect(describeKey(holder, media(0), { state: "paused" })).toMatchObject({ activity: "paused", mediaLive: true });
  });
});

describe("what a reopen opens", () => {
  const pre = describeKey(holder, media(28_100), { state: "receiving" });
  it("keeps the holder's port, mode and SSRC by default, with re_use_port on the kept port", () => {
    expect(reopenParams(pre, {})).toEqual({ port: 30010, tcp_mode: 0, ssrc: 200000123, re_use_port: true, kept: true });
  });
  it("changes them only when asked", () => {
    expect(reopenParams(pre, { keep: false })).toEqual({ port: 0, tcp_mode: 0, ssrc: undefined, re_use_port: undefined, kept: false });
    expect(reopenParams(pre, { port: 30500, ssrc: 7 })).toMatchObject({ port: 30500, tcp_mode: 0, ssrc: 7, re_use_port: true });
    expect(reopenParams(pre, { re_use_port: false })).toMatchObject({ port: 30010, re_use_port: false });
  });
  it("opens fresh when nothing held the key, and never asks ZLM to reuse a port it dials out from", () => {
    expect(reopenParams(describeKey(null, [], null), {})).toEqual({ port: 0, tcp_mode: 0, ssrc: undefined, re_use_port: undefined, kept: false });
    expect(reopenParams(describeKey({ ...holder, tcp_mode: 2 }, [], null), {})).toMatchObject({ port: 30010, tcp_mode: 2, re_use_port: undefined });
  });
});
