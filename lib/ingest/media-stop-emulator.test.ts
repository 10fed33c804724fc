import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmulator, type Emulator } from "../sim/emulator";
import { SimulatedCamera } from "../sim/camera";
import { createZlmClient } from "../zlm/client";
import { openSqliteStore, type SqliteEventStore } from "../events/sqlite-store";
import { EventBus } from "../events/bus";
import type { PortscopeEvent } from "../events/types";
import { zlmCall } from "../testing/zlm-call";
import { Pipeline } from "./pipeline.server";
import { NodePoller } from "./poller.server";
import { createHookReceiver } from "./hook-receiver";
import { createHookSink } from "./hook-sink";
import { startZlmListener, type ZlmListener } from "./zlm-listener.server";
import { NodeDirectory } from "./node-directory";
import { createTap } from "../tap/tap.server";
import { DEFAULT_SHIELD } from "../tap/race-shield";

/**
 * A real camera (UDP RTP on 127.0.0.1) that stops sending while ZLM (the
 * emulator) keeps its stream registered until rtp_proxy.timeoutSec: the poller
 * must show "media stopped" from getMediaList's frozen totalBytes before the
 * on_rtp_server_timeout hook, and the hook must still time the session out.
 */
const SECRET = "media-stop-secret";
const TOKEN = "media-stop-token";
const STREAM = "ms_cam";
const KEY = `__defaultVhost__/rtp/${STREAM}`;
let emu: Emulator;
let listener: ZlmListener;
let store: SqliteEventStore;
let pipeline: Pipeline;
let poller: NodePoller;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-media-stop-"));
  store = openSqliteStore(path.join(dir, "e.db"));
  pipeline = await Pipeline.open(store, new EventBus());
  const directory = new NodeDirectory();
  directory.add({ id: "zlm", mediaServerId: "zlm-ms", upstream: null });
  let emuUrl = "";
  const tap = createTap({ nodeUrl: () => emuUrl, append: (evs) => pipeline.append(evs), lifecycle: pipeline.lifecycle, recentForStream: async () => [], buildTime: () => null, shieldFor: () => DEFAULT_SHIELD, clientFor: () => createZlmClient({ id: "zlm", url: emuUrl, secret: SECRET }) });
  listener = await startZlmListener({ host: "127.0.0.1", port: 0, tap, receiver: createHookReceiver({ token: TOKEN, allowSources: null, resolveNode: (id) => directory.resolve(id), sink: createHookSink(pipeline) }) });
  // timeoutSec 6: teardown comes 6-9 s after the last frame (the 3 s check); the stall shows after ~2-3 s.
  emu = await startEmulator({ secret: SECRET, mediaServerId: "zlm-ms", hookUrl: `http://127.0.0.1:${listener.port}/api/hooks?token=${TOKEN}`, timeoutSec: 6, portRange: [29700, 29800], aliveIntervalSec: 3600, seed: 5 });
  emuUrl = emu.url;
  poller = new NodePoller(createZlmClient({ id: "zlm", url: emu.url, secret: SECRET }), pipeline);
  await poller.pollOnce();
});

afterAll(async () => {
  await emu?.stop();
  await listener?.close();
  await store?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const call = (endpoint: string, q: Record<string, string | number> = {}) => zlmCall(emu.url, endpoint, { secret: SECRET, ...q });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ofKey = async (kind: PortscopeEvent["kind"]) => store.query({ kinds: [kind], key: KEY, order: "asc" });
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
      await poller.pollOnce();
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
      await until(async () => (await mediaRows()).length >= 5 && pipeline.lifecycle.currentSession("zlm", KEY)?.state === "receiving", 8000);
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
      expect(pipeline.lifecycle.currentSession("zlm", KEY)).toMatchObject({ state: "media_stopped", mediaStoppedAt: stopped.at, timedOutAt: null });

      // ZLM's own timeout still lands: timed out, the poll's media stop kept, then released.
      await until(async () => (await ofKey("rtp.released")).length > 0, 15_000);
      const [timedOut] = await ofKey("rtp.timed_out");
      expect(timedOut.source).toBe("hook");
      expect(timedOut.at).toBeGreaterThan(stopped.at);
      expect((await ofKey("rtp.media_stopped")).map((e) => e.source)).toEqual(["poll"]);
      expect((await ofKey("rtp.receiving")).length).toBe(1);
      const [s] = pipeline.lifecycle.sessions({ key: KEY });
      expect(s).toMatchObject({ state: "released", endCause: "timed out", mediaStoppedAt: stopped.at, timedOutAt: timedOut.at });
    } finally {
      cam.stop();
      await polling.stop();
    }
  }, 40_000);
});
