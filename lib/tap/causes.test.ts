import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmulator, type Emulator } from "../sim/emulator";
import { SimulatedCamera } from "../sim/camera";
import { createZlmClient, type ZlmClient } from "../zlm/client";
import { openSqliteStore, type SqliteEventStore } from "../events/sqlite-store";
import { EventBus } from "../live/bus";
import { RecentByStream } from "../events/recent-by-stream";
import { DIAGNOSIS_EVENT_KINDS } from "../diagnosis/already-exists";
import { Pipeline } from "../events/pipeline.server";
import { startZlmListener, type ZlmListener } from "../ingest/zlm-listener.server";
import { createHookReceiver } from "../ingest/hook-receiver";
import { createHookSink } from "../ingest/hook-sink";
import { NodeDirectory } from "../ingest/node-directory";
import { zlmCall } from "../testing/zlm-call";
import { createTap } from "./tap.server";

/**
 * A platform that follows wvp-GB28181-pro's pattern (getRtpInfo, then
 * openRtpServer; close and reopen on its own timer) calls ZLM through the tap.
 * The emulator's knobs reproduce each cause of "already exists"; each failing
 * open must get the right verdict.
 */
const SECRET = "causes-secret";
let modern: Emulator;
let legacy: Emulator;
let dir: string;
let store: SqliteEventStore;
let pipeline: Pipeline;
let listener: ZlmListener;
const clients = new Map<string, ZlmClient>();
const versions = new Map<string, { buildTime: string; commitHash: string }>();

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-causes-"));
  store = openSqliteStore(path.join(dir, "c.db"));
  const bus = new EventBus();
  // As the runtime keeps it: only the kinds a diagnosis reads, so every cause below is found without the rest.
  const recent = new RecentByStream(60_000, DIAGNOSIS_EVENT_KINDS);
  bus.subscribe((batch) => recent.add(batch.events));
  pipeline = await Pipeline.open(store, bus);
  const directory = new NodeDirectory();
  directory.add({ id: "zlm", mediaServerId: "zlm-modern" });
  directory.add({ id: "old", mediaServerId: "zlm-legacy" });
  const receiver = createHookReceiver({ token: null, allowSources: null, resolveNode: (id) => directory.resolve(id), sink: createHookSink(pipeline) });
  const tap = createTap({
    nodeUrl: (id) => (id === "zlm" ? modern.url : id === "old" ? legacy.url : null),
    append: (evs) => pipeline.append(evs),
    lifecycle: pipeline.lifecycle,
    recentForStream: async (nodeId, streamId, since) => recent.get(streamId, since).filter((e) => e.nodeId === nodeId),
    buildTime: (id) => versions.get(id)?.buildTime ?? null,
    commitHash: (id) => versions.get(id)?.commitHash ?? null,
    clientFor: (id) => clients.get(id) ?? null,
  });
  listener = await startZlmListener({ host: "127.0.0.1", port: 0, receiver, tap });
  const hookUrl = `http://127.0.0.1:${listener.port}/api/hooks`;
  modern = await startEmulator({ secret: SECRET, mediaServerId: "zlm-modern", hookUrl, timeoutSec: 2, portRange: [21000, 21400], aliveIntervalSec: 3600, seed: 11, knobs: { hlsDelayMs: 100 } });
  legacy = await startEmulator({ secret: SECRET, mediaServerId: "zlm-legacy", hookUrl, timeoutSec: 1, portRange: [21500, 21900], aliveIntervalSec: 3600, seed: 12, knobs: { teardownOrder: "legacy", legacyTeardownGapMs: 1500, hlsDelayMs: 100 } });
  for (const [id, emu] of [["zlm", modern], ["old", legacy]] as const) {
    const c = createZlmClient({ id, url: emu.url, secret: SECRET });
    clients.set(id, c);
    versions.set(id, await c.version());
  }
});

afterAll(async () => {
  await modern.stop();
  await legacy.stop();
  await listener.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const tapped = (node: string, endpoint: string, q: Record<string, string | number> = {}) => zlmCall(`http://127.0.0.1:${listener.port}/zlm/${node}`, endpoint, { secret: SECRET, ...q });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** wvp's play: ask getRtpInfo, then open; returns the open's answer. */
async function play(node: string, stream: string, extra: Record<string, string | number> = {}) {
  await tapped(node, "getRtpInfo", { stream_id: stream, ...(extra.app ? { app: extra.app } : {}) });
  return tapped(node, "openRtpServer", { port: 0, tcp_mode: 0, stream_id: stream, ...extra });
}

async function verdictFor(node: string, stream: string, app = "rtp"): Promise<string> {
  const key = `__defaultVhost__/${app}/${stream}`;
  for (let i = 0; i < 40; i++) {
    const failed = (await store.query({ nodeId: node, key, kinds: ["rtp.open_failed"], order: "desc", limit: 1 }))[0];
    const v = failed?.payload.verdict as { cause?: string } | undefined;
    if (v?.cause) return v.cause;
    await sleep(25);
  }
  throw new Error(`no verdict for ${key}`);
}

describe("each cause of 'already exists' gets its verdict", () => {
  it("(a) the camera never sends: the holder waits for media", async () => {
    expect((await play("zlm", "c_a")).json?.code).toBe(0);
    await sleep(1600);
    expect((await play("zlm", "c_a")).json?.code).toBe(-300);
    expect(await verdictFor("zlm", "c_a")).toBe("a");
  });

  it("(b) close and reopen sent in parallel: the open overtakes the close", async () => {
    await play("zlm", "c_b");
    await sleep(1600);
    // The emulator handles the close late, as a loaded ZLM does: the parallel open overtakes it.
    modern.setKnobs({ closeLatencyMs: 150 });
    try {
      const close = tapped("zlm", "closeRtpServer", { stream_id: "c_b" });
      await sleep(5);
      const open = await tapped("zlm", "openRtpServer", { port: 0, stream_id: "c_b" });
      expect((await close).json).toEqual({ code: 0, hit: 1 });
      expect(open.json).toEqual({ code: -300, msg: "This stream already exists" });
      expect(await verdictFor("zlm", "c_b")).toBe("b");
    } finally {
      modern.setKnobs({ closeLatencyMs: 0 });
    }
  });

  it("(c) two opens of one key at once", async () => {
    const answers = await Promise.all([tapped("zlm", "openRtpServer", { port: 0, stream_id: "c_c" }), tapped("zlm", "openRtpServer", { port: 0, stream_id: "c_c" })]);
    const codes = answers.map((a) => a.json?.code as number).sort((x, y) => y - x);
    expect(codes[0]).toBe(0);
    expect([-300, -400]).toContain(codes[1]); // the loser may get ZLM's -400 assertion text instead
    expect(await verdictFor("zlm", "c_c")).toBe("c");
  });

  it("(d) a close with the wrong app leaves the server in place", async () => {
    expect((await play("zlm", "c_d")).json?.code).toBe(0);
    await sleep(50);
    expect((await tapped("zlm", "closeRtpServer", { stream_id: "c_d", app: "live" })).json).toEqual({ code: 0, hit: 0 });
    await sleep(1600);
    expect((await play("zlm", "c_d")).json?.code).toBe(-300);
    expect(await verdictFor("zlm", "c_d")).toBe("d");
  });

  it("(e) a fixed port rebound without re_use_port", async () => {
    expect((await tapped("zlm", "openRtpServer", { port: 21390, stream_id: "c_e1" })).json?.code).toBe(0);
    const b = await tapped("zlm", "openRtpServer", { port: 21390, stream_id: "c_e2" });
    expect(b.json?.code).toBe(-400);
    expect(await verdictFor("zlm", "c_e2")).toBe("e");
  });

  it("(f) an old ZLM: the stream is gone but the entry lingers at teardown", async () => {
    const port = (await play("old", "c_f", { ssrc: 4242 })).json?.port as number;
    const cam = new SimulatedCamera({ id: "34020000001320004242", ssrc: 4242, fps: 25 });
    cam.start(port);
    for (let i = 0; i < 60 && (await zlmCall(legacy.url, "getRtpInfo", { secret: SECRET, stream_id: "c_f" })).json?.exist !== true; i++) await sleep(50);
    await sleep(300);
    cam.stop();
    // The platform reopens as soon as it hears the stream went away.
    for (let i = 0; i < 200; i++) {
      if ((await store.query({ nodeId: "old", key: "__defaultVhost__/rtp/c_f", kinds: ["stream.unregistered"], limit: 1 })).length) break;
      await sleep(25);
    }
    const again = await play("old", "c_f", { ssrc: 4242 });
    expect(again.json?.code).toBe(-300);
    expect(await verdictFor("old", "c_f")).toBe("f");
  }, 20_000);
});
