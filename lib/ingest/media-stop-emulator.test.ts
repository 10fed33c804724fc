import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulatorRig, type EmulatorRig } from "../testing/emulator-rig";
import { SimulatedCamera } from "../sim/camera";
import type { PortscopeEvent } from "../events/types";
import { zlmCall } from "../testing/zlm-call";
import { sessionMatcher } from "../api/session-filter";

/**
 * A real camera (UDP RTP on 127.0.0.1) that stops sending while ZLM (the
 * emulator) keeps its stream registered until rtp_proxy.timeoutSec: the poller
 * must show "media stopped" from getMediaList's frozen totalBytes before the
 * on_rtp_server_timeout hook, and the hook must still time the session out.
 */
const STREAM = "ms_cam";
const KEY = `__defaultVhost__/rtp/${STREAM}`;
let rig: EmulatorRig;

beforeAll(async () => {
  // timeoutSec 6: teardown comes 6-9 s after the last frame (the 3 s check); the stall shows after ~2-3 s.
  rig = await startEmulatorRig({ name: "ms", timeoutSec: 6, portRange: [29700, 29800], seed: 5 });
});

afterAll(async () => {
  await rig?.stop();
});

const call = (endpoint: string, q: Record<string, string | number> = {}) => zlmCall(rig.emu.url, endpoint, { secret: rig.secret, ...q });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ofKey = async (kind: PortscopeEvent["kind"]) => rig.store.query({ kinds: [kind], key: KEY, order: "asc" });
async function until(done: () => Promise<boolean> | boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(50);
  }
}
/** Polls every 400 ms (the poller's fast cadence is 500 ms) until stopped. */
function pollInBackground(): { stop: () => Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      await rig.poller.pollOnce();
      await sleep(400);
    }
  })();
  return { stop: async () => ((running = false), await loop) };
}
const mediaRows = async () => ((await call("getMediaList", { stream: STREAM })).json?.data as { schema: string; totalBytes: number; bytesSpeed: number }[] | undefined) ?? [];

describe("a camera that stops sending while its stream stays registered", () => {
  it("the emulator's getMediaList keeps the stream with totalBytes frozen and bytesSpeed 0; the poller shows media stopped before the timeout hook", async () => {
    const port = (await call("openRtpServer", { port: 0, tcp_mode: 0, stream_id: STREAM })).json?.port as number;
    const cam = new SimulatedCamera({ id: "34020000001320000777", ssrc: 777, fps: 25 });
    const polling = pollInBackground();
    try {
      cam.start(port);
      // Every schema registered (hls comes ~2 s late), so the stop is the only change left.
      await until(async () => (await mediaRows()).length >= 5 && rig.pipeline.lifecycle.currentSession("zlm", KEY)?.state === "receiving", 8000);
      cam.stop();

      // The real build's behaviour: still registered, bytesSpeed 0 about 1 s after the last packet, totalBytes frozen.
      await sleep(1200);
      const a = await mediaRows();
      await sleep(500);
      const b = await mediaRows();
      expect(a.length).toBeGreaterThanOrEqual(5);
      expect(b.map((r) => [r.schema, r.totalBytes, r.bytesSpeed])).toEqual(a.map((r) => [r.schema, r.totalBytes, 0]));
      const frozenTotal = Math.max(...b.map((r) => r.totalBytes));
      expect(frozenTotal).toBeGreaterThan(0);

      await until(async () => (await ofKey("rtp.media_stopped")).length > 0 || (await ofKey("rtp.timed_out")).length > 0, 8000);
      const [stopped] = await ofKey("rtp.media_stopped");
      expect(await ofKey("rtp.timed_out")).toEqual([]);
      expect(stopped).toMatchObject({ source: "poll", port, payload: { seenBy: "getMediaList", bytesSpeed: 0, totalBytes: frozenTotal } });
      expect(stopped.payload.frozenMs as number).toBeGreaterThanOrEqual(2000);
      expect(rig.pipeline.lifecycle.currentSession("zlm", KEY)).toMatchObject({ state: "media_stopped", mediaStoppedAt: stopped.at, timedOutAt: null });

      // ZLM's own timeout still lands: timed out, the poll's media stop kept, then released.
      await until(async () => (await ofKey("rtp.released")).length > 0, 15_000);
      const [timedOut] = await ofKey("rtp.timed_out");
      expect(timedOut.source).toBe("hook");
      expect(timedOut.at).toBeGreaterThan(stopped.at);
      expect((await ofKey("rtp.media_stopped")).map((e) => e.source)).toEqual(["poll"]);
      expect((await ofKey("rtp.receiving")).length).toBe(1);
      const [s] = rig.pipeline.lifecycle.sessions(sessionMatcher({ key: KEY }));
      expect(s).toMatchObject({ state: "released", endCause: "timed out", mediaStoppedAt: stopped.at, timedOutAt: timedOut.at });
    } finally {
      cam.stop();
      await polling.stop();
    }
  }, 40_000);
});
