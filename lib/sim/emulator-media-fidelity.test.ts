import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { startEmulator, type Emulator } from "./emulator";
import { SimulatedCamera } from "./camera";
import { zlmCall } from "../testing/zlm-call";

/**
 * getMediaList of a live RTP stream against what ZLM reported: the recordings (ffmpeg TS)
 * and a real fdaec26 build fed by this simulated camera (docs/real-zlm-check.md).
 */
const SECRET = "media-secret";
const SEQUENCES = path.resolve(__dirname, "../../../shared/zlm-fixtures/sequences");

interface Track { codec_id_name: string; duration: number; frames: number; loss?: number; width?: number; height?: number }
interface Source { schema: string; tracks: Track[] }

/** The schema order of every live getMediaList the recordings captured. */
function recordedOrders(): string[][] {
  const orders: string[][] = [];
  for (const f of ["stream_s1.json", "stream_s2.json"]) {
    const seq = JSON.parse(fs.readFileSync(path.join(SEQUENCES, f), "utf8")) as { captures: { label: string; raw: string }[] };
    for (const c of seq.captures) {
      if (!c.label.startsWith("getMediaList")) continue;
      const j = JSON.parse(c.raw) as { data?: Source[] };
      if (j.data?.length) orders.push(j.data.map((d) => d.schema));
    }
  }
  return orders;
}

let emu: Emulator;
let sources: Source[] = [];
const lossAfterStop: number[] = [];

beforeAll(async () => {
  emu = await startEmulator({ secret: SECRET, mediaServerId: "zlm-media", timeoutSec: 30, portRange: [27200, 27300], aliveIntervalSec: 600, seed: 9, knobs: { hlsDelayMs: 300 } });
  const open = await zlmCall(emu.url, "openRtpServer", { secret: SECRET, port: 0, tcp_mode: 0, stream_id: "mf1" });
  const cam = new SimulatedCamera({ id: "34020000001320000042", ssrc: 42, fps: 25 });
  cam.start(Number(open.json?.port));
  const end = Date.now() + 8000;
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    const list = await zlmCall(emu.url, "getMediaList", { secret: SECRET });
    sources = ((list.json?.data as Source[] | undefined) ?? []);
    if (sources.length === 5 && (sources[0].tracks[1]?.duration ?? 0) > 1200) break;
  }
  await new Promise((r) => setTimeout(r, 200)); // packets after the last look
  cam.stop();
  await new Promise((r) => setTimeout(r, 100));
  for (let i = 0; i < 2; i++) {
    const one = await zlmCall(emu.url, "getMediaList", { secret: SECRET, schema: "rtsp", stream: "mf1" });
    lossAfterStop.push(...((one.json?.data as Source[])[0].tracks.map((t) => t.loss ?? NaN)));
  }
}, 15_000);

afterAll(async () => {
  await emu?.stop();
});

describe("getMediaList of a live RTP stream", () => {
  it("lists the schemas in ZLM's order, as recorded and as a real build listed them", () => {
    const recorded = recordedOrders();
    expect(recorded.length).toBeGreaterThan(0);
    for (const order of recorded) expect(sources.map((s) => s.schema)).toEqual(order);
    expect(sources.map((s) => s.schema)).toEqual(["hls", "ts", "rtsp", "rtmp", "fmp4"]);
  });

  it("reports the picture size from the camera's SPS (640x480 on the real build)", () => {
    const video = sources[0].tracks.find((t) => t.codec_id_name === "H264");
    expect(video).toMatchObject({ width: 640, height: 480 });
  });

  it("runs the mute AAC track in 128 ms frames ahead of the video", () => {
    const [audio, video] = sources[0].tracks;
    expect(audio.codec_id_name).toBe("mpeg4-generic");
    expect(audio.duration % 128).toBe(0);
    expect(audio.duration).toBeGreaterThanOrEqual(video.duration);
    expect(audio.duration - video.duration).toBeLessThan(128);
    expect(audio.frames).toBe(audio.duration / 128 + 1);
  });

  it("gives loss per interval: 0.0 with packets since the last look, then -1.0 for both tracks", () => {
    expect(lossAfterStop).toEqual([0, 0, -1, -1]);
  });
});
