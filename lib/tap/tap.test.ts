import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmulator, type Emulator } from "../sim/emulator";
import { SimulatedCamera } from "../sim/camera";
import { createZlmClient } from "../zlm/client";
import { openSqliteStore, type SqliteEventStore } from "../events/sqlite-store";
import { EventBus } from "../live/bus";
import { Pipeline } from "../events/pipeline.server";
import { startNodeTapListener, startZlmListener, type ZlmListener } from "../ingest/zlm-listener.server";
import { createHookReceiver } from "../ingest/hook-receiver";
import { createHookSink } from "../ingest/hook-sink";
import { NodeDirectory } from "../ingest/node-directory";
import { zlmCall } from "../testing/zlm-call";
import { createTap } from "./tap.server";
import { DEFAULT_SHIELD, type ShieldConfig } from "./race-shield";

/** The tap and its race shield on a real listener in front of the emulator's real sockets. */
const SECRET = "tap-secret";
let emu: Emulator;
let dir: string;
let store: SqliteEventStore;
let pipeline: Pipeline;
let listener: ZlmListener;
let nodePort: ZlmListener;
let shield: ShieldConfig = DEFAULT_SHIELD;

beforeAll(async () => {
  emu = await startEmulator({ secret: SECRET, mediaServerId: "zlm-tap", hookUrl: null, timeoutSec: 1, portRange: [23000, 23400], aliveIntervalSec: 3600, seed: 9 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-tap-"));
  store = openSqliteStore(path.join(dir, "t.db"));
  pipeline = await Pipeline.open(store, new EventBus());
  const client = createZlmClient({ id: "z", url: emu.url, secret: SECRET });
  const tap = createTap({
    nodeUrl: (id) => (id === "z" ? emu.url : null),
    append: (evs) => pipeline.append(evs),
    lifecycle: pipeline.lifecycle,
    recentForStream: async () => [],
    buildTime: () => null,
    shieldFor: () => shield,
    clientFor: () => client,
  });
  const receiver = createHookReceiver({ token: null, allowSources: null, resolveNode: (id) => new NodeDirectory().resolve(id), sink: createHookSink(pipeline) });
  listener = await startZlmListener({ host: "127.0.0.1", port: 0, receiver, tap });
  nodePort = await startNodeTapListener({ host: "127.0.0.1", port: 0, nodeId: "z", tap });
});

afterAll(async () => {
  await nodePort.close();
  await listener.close();
  await store.close();
  await emu.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const direct = (endpoint: string, q: Record<string, string | number> = {}) => zlmCall(emu.url, endpoint, { secret: SECRET, ...q });
const tapped = (endpoint: string, q: Record<string, string | number> = {}) => zlmCall(`http://127.0.0.1:${listener.port}/zlm/z`, endpoint, { secret: SECRET, ...q });
const holders = async (stream: string) => ((await direct("listRtpServer")).json?.data as { stream_id: string; port: number }[] | undefined)?.filter((r) => r.stream_id === stream) ?? [];
const decisions = async (stream: string) => (await store.query({ key: `__defaultVhost__/rtp/${stream}`, kinds: ["shield.decision"] })).map((e) => e.payload.decision as string);

describe("tap", () => {
  it("answers exactly as ZLM does, including errors and the 404 page", async () => {
    for (const [endpoint, q] of [["version", {}], ["getRtpInfo", { stream_id: "nope" }], ["openRtpServer", { port: 0 }], ["noSuchApi", {}]] as const) {
      const a = await direct(endpoint, q);
      const b = await tapped(endpoint, q);
      expect(b.status).toBe(a.status);
      expect(b.text.replace(/build time:[^)]+/, "")).toBe(a.text.replace(/build time:[^)]+/, ""));
    }
  });

  it("with the shield off, a conflict is passed through and diagnosed", async () => {
    shield = DEFAULT_SHIELD;
    await direct("openRtpServer", { port: 0, stream_id: "t_off" });
    expect((await tapped("openRtpServer", { port: 0, stream_id: "t_off" })).json).toEqual({ code: -300, msg: "This stream already exists" });
    await new Promise((r) => setTimeout(r, 50));
    const [failed] = await store.query({ key: "__defaultVhost__/rtp/t_off", kinds: ["rtp.open_failed"] });
    expect(failed.payload).toMatchObject({ code: -300, kind: "conflict" });
    expect(JSON.stringify(failed)).not.toContain(SECRET);
    // The platform then asks getRtpInfo, which says absent: the contradiction operators cannot see today.
    expect((await tapped("getRtpInfo", { stream_id: "t_off" })).json).toMatchObject({ code: 0, exist: false });
    await new Promise((r) => setTimeout(r, 50));
    const [info] = await store.query({ key: "__defaultVhost__/rtp/t_off", kinds: ["tap.call"] });
    expect(info.payload.conflictBeforeAt).toBe(failed.at);
    expect(pipeline.lifecycle.anomalies(Date.now()).find((a) => a.type === "exists_but_absent" && a.key === "__defaultVhost__/rtp/t_off")).toMatchObject({ active: true });
    await direct("closeRtpServer", { stream_id: "t_off" });
  });
});

describe("a node's own tap port", () => {
  const onPort = (endpoint: string, q: Record<string, string | number> = {}, init: Parameters<typeof zlmCall>[3] = {}) => zlmCall(`http://127.0.0.1:${nodePort.port}`, endpoint, q, init);

  it("serves ZLM's paths byte for byte: API answers, a JSON body, a secret header and the 404 page", async () => {
    for (const [endpoint, q] of [["version", { secret: SECRET }], ["getRtpInfo", { secret: SECRET, stream_id: "nope" }], ["noSuchApi", {}], ["getRtpInfo", {}]] as const) {
      const a = await zlmCall(emu.url, endpoint, q);
      const b = await onPort(endpoint, q);
      expect(b.status).toBe(a.status);
      expect(b.headers["content-type"]).toBe(a.headers["content-type"]);
      expect(b.text.replace(/build time:[^)]+/, "").replace(/"cookie" : "\w+"/, "")).toBe(a.text.replace(/build time:[^)]+/, "").replace(/"cookie" : "\w+"/, ""));
    }
    const json = await onPort("openRtpServer", {}, { method: "POST", contentType: "application/json", body: JSON.stringify({ secret: SECRET, port: 0, stream_id: "t_port" }) });
    expect(json.json?.code).toBe(0);
    expect(await holders("t_port")).toHaveLength(1);
    const byHeader = await onPort("getRtpInfo", { stream_id: "t_port" }, { headers: { secret: SECRET } });
    expect(byHeader.json).toEqual({ code: 0, exist: false });
    const page = await fetch(`http://127.0.0.1:${nodePort.port}/some/static/file.js`);
    expect(page.status).toBe(404);
    expect(await page.text()).toContain("404 Not Found");
  });

  it("records and diagnoses like the /zlm/<node> path, without the secret", async () => {
    shield = DEFAULT_SHIELD;
    const again = await onPort("openRtpServer", { secret: SECRET, port: 0, stream_id: "t_port" });
    expect(again.json).toEqual({ code: -300, msg: "This stream already exists" });
    await new Promise((r) => setTimeout(r, 50));
    const events = await store.query({ key: "__defaultVhost__/rtp/t_port" });
    expect(events.filter((e) => e.source === "tap").map((e) => e.kind)).toEqual(["rtp.opened", "tap.call", "rtp.open_failed"]);
    expect(events.at(-1)?.payload.verdict).toMatchObject({ cause: "c" });
    expect(JSON.stringify(events)).not.toContain(SECRET);
    // listRtpServer is recorded with the number of servers, not the whole list.
    const listed = (await onPort("listRtpServer", { secret: SECRET })).json?.data as unknown[];
    await new Promise((r) => setTimeout(r, 50));
    const [call] = await store.query({ kinds: ["tap.call"], order: "desc", limit: 1 });
    expect(call.payload).toMatchObject({ endpoint: "listRtpServer", answer: { code: 0, servers: listed.length } });
    await direct("closeRtpServer", { stream_id: "t_port" });
  });
});

describe("race shield", () => {
  it("adopt: a repeated open of an idle twin gets the holder's port, byte for byte like ZLM", async () => {
    shield = { policy: "adopt", deadlineMs: 3000, idleMs: 0 };
    const port = (await direct("openRtpServer", { port: 0, stream_id: "t_adopt" })).json?.port as number;
    const a = await tapped("openRtpServer", { port: 0, stream_id: "t_adopt" });
    expect(a.text).toBe(`{\n\t"code" : 0,\n\t"port" : ${port}\n}\n`);
    expect(await holders("t_adopt")).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(await decisions("t_adopt")).toEqual(["adopted the idle holder's port"]);
    await direct("closeRtpServer", { stream_id: "t_adopt" });
  });

  it("takeover: an idle holder is closed and the open goes through", async () => {
    shield = { policy: "takeover", deadlineMs: 3000, idleMs: 0 };
    const old = (await direct("openRtpServer", { port: 0, stream_id: "t_take" })).json?.port as number;
    const a = await tapped("openRtpServer", { port: 0, stream_id: "t_take" });
    expect(a.json?.code).toBe(0);
    expect((await holders("t_take")).map((h) => h.port)).toEqual([a.json?.port]);
    expect(old).toBeGreaterThan(0);
    await direct("closeRtpServer", { stream_id: "t_take" });
  });

  it("wait: retries until ZLM times the idle holder out, then returns ZLM's real answer", async () => {
    shield = { policy: "wait", deadlineMs: 12_000, idleMs: 0 };
    await direct("openRtpServer", { port: 0, stream_id: "t_wait" });
    const a = await tapped("openRtpServer", { port: 0, stream_id: "t_wait" });
    expect(a.text).toMatch(/^\{\n\t"code" : 0,\n\t"port" : \d+\n\}\n$/);
    await new Promise((r) => setTimeout(r, 50));
    expect((await decisions("t_wait"))[0]).toMatch(/^waited; opened after \d+ attempts$/);
    await direct("closeRtpServer", { stream_id: "t_wait" });
  }, 20_000);

  it("never closes a server with live media, whatever the policy", async () => {
    shield = { policy: "takeover", deadlineMs: 3000, idleMs: 0 };
    const port = (await direct("openRtpServer", { port: 0, stream_id: "t_live", ssrc: 777 })).json?.port as number;
    const cam = new SimulatedCamera({ id: "34020000001320000777", ssrc: 777, fps: 25 });
    cam.start(port);
    try {
      for (let i = 0; i < 50 && (await direct("getRtpInfo", { stream_id: "t_live" })).json?.exist !== true; i++) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 400)); // registered in getMediaList
      const a = await tapped("openRtpServer", { port: 0, stream_id: "t_live", ssrc: 777 });
      expect(a.json).toEqual({ code: -300, msg: "This stream already exists" });
      expect((await holders("t_live")).map((h) => h.port)).toEqual([port]);
      await new Promise((r) => setTimeout(r, 50));
      expect(await decisions("t_live")).toEqual(["kept: holder has live media"]);
    } finally {
      cam.stop();
      await direct("closeRtpServer", { stream_id: "t_live" });
    }
  });
});
