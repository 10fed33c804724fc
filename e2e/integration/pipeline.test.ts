import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmulator, type Emulator } from "@/lib/sim/emulator";
import { SimulatedCamera } from "@/lib/sim/camera";
import { startApp, type AppProcess } from "@/lib/testing/app-process";
import { openSse, type SseFrame } from "@/lib/testing/sse-client";
import { STATE_FRAME, type StateFrame } from "@/lib/live/state-frame";
import { zlmCall } from "@/lib/testing/zlm-call";

/**
 * The whole chain, as deployed: the emulator (real UDP, real hooks) -> the
 * built app (lean hook listener, poller, SQLite log) -> SSE to a real client.
 */
const SECRET = "it-secret";
const TOKEN = "it-token";
let emu: Emulator;
let app: AppProcess;
let dir: string;
/** A signed-in tab's headers (signing in is itself an event: done once, before the streams are compared). */
let viewer: Record<string, string>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-it-"));
  const { freePort } = await import("@/lib/testing/app-process");
  const zlmPort = await freePort();
  emu = await startEmulator({
    secret: SECRET,
    mediaServerId: "zlm-it",
    hookUrl: `http://127.0.0.1:${zlmPort}/api/hooks?token=${TOKEN}`,
    timeoutSec: 2,
    portRange: [27000, 27400],
    aliveIntervalSec: 3600,
    seed: 7,
    knobs: { hlsDelayMs: 200 },
  });
  app = await startApp(
    { ZLM_URL: emu.url, ZLM_SECRET: SECRET, ZLM_NODE_ID: "zlm-it", PORTSCOPE_DB: path.join(dir, "p.db"), PORTSCOPE_HOOK_TOKEN: TOKEN, PORTSCOPE_POLL_INTERVAL_MS: "300" },
    { zlmPort },
  );
  viewer = (await app.signInAs("viewer")).headers;
  await app.fetch(`${app.url}/api/auth/me`);
}, 60_000);

afterAll(async () => {
  await app?.kill();
  await emu?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const parse = (f: SseFrame) => JSON.parse(f.data) as { id: number; kind: string; key: string | null; port: number | null; source: string; nodeId: string };
/** The raw event frames (state frames carry session rows, with the id of their batch's last event). */
const eventsOf = (frames: SseFrame[]) => frames.filter((f) => f.event !== STATE_FRAME);
const rowsOf = (frames: SseFrame[]) => frames.filter((f) => f.event === STATE_FRAME).flatMap((f) => (JSON.parse(f.data) as StateFrame).sessions);

describe("event pipeline against the running app", () => {
  it("streams opened -> receiving -> media stopped -> timed out -> released for one key, each once, with its port", async () => {
    const sse = openSse(`${app.url}/api/events`, null, undefined, viewer);
    await sse.ready;
    const open = await zlmCall(emu.url, "openRtpServer", { secret: SECRET, port: 0, stream_id: "it_cam1", ssrc: 5151 });
    expect(open.json?.code).toBe(0);
    const port = open.json?.port as number;
    const key = "__defaultVhost__/rtp/it_cam1";
    const rtpEvents = () => eventsOf(sse.frames).map(parse).filter((e) => e.key === key && e.kind.startsWith("rtp."));

    await sse.waitFor(() => rtpEvents().some((e) => e.kind === "rtp.opened"), 5000);
    const cam = new SimulatedCamera({ id: "34020000001320009001", ssrc: 5151, fps: 25 });
    cam.start(port);
    await sse.waitFor(() => rtpEvents().some((e) => e.kind === "rtp.receiving"), 5000);
    await new Promise((r) => setTimeout(r, 800));
    cam.stop();
    await sse.waitFor(() => rtpEvents().some((e) => e.kind === "rtp.released"), 10_000);
    await new Promise((r) => setTimeout(r, 700)); // late hooks or polls must not add transitions
    sse.close();

    const seen = rtpEvents();
    if (seen.length !== 5) console.log(eventsOf(sse.frames).map((f) => JSON.parse(f.data)).map((e) => `${e.id} ${e.kind} ${e.source} ${e.port} ${e.at} ${JSON.stringify(e.payload).slice(0, 150)}`).join("\n"));
    expect(seen.map((e) => e.kind)).toEqual(["rtp.opened", "rtp.receiving", "rtp.media_stopped", "rtp.timed_out", "rtp.released"]);
    expect(seen.every((e) => e.port === port && e.nodeId === "zlm-it")).toBe(true);
    const ids = eventsOf(sse.frames).map((f) => Number(f.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    // The batches came with the session row as the server's model had it when each was published
    // (a row encoded after a later change already shows it, so intermediate states may be skipped).
    const rows = rowsOf(sse.frames).filter((r) => r.key === key);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.map((r) => r.lastEventId)).toEqual([...rows.map((r) => r.lastEventId)].sort((a, b) => a - b));
    expect(rows[rows.length - 1]).toMatchObject({ state: "released", port, releaseConfirmedBy: "poll" });
    expect(seen.find((e) => e.kind === "rtp.timed_out")?.source).toBe("hook");
    expect(seen.find((e) => e.kind === "rtp.released")?.source).toBe("poll");

    const sessions = (await (await app.fetch(`${app.url}/api/sessions?key=${encodeURIComponent(key)}`)).json()) as { sessions: { state: string; port: number; timedOutAt: number | null; releaseConfirmedBy: string }[] };
    expect(sessions.sessions[0]).toMatchObject({ state: "released", port, releaseConfirmedBy: "poll" });
  });

  it("replays exactly the events missed while disconnected, in order, none twice", async () => {
    const first = openSse(`${app.url}/api/events`, null, undefined, viewer);
    await first.ready;
    await postHooks(1, "warmup");
    await first.waitFor((f) => eventsOf(f).some((x) => parse(x).kind === "stream.flow_report"), 5000);
    const lastSeen = Number(eventsOf(first.frames)[eventsOf(first.frames).length - 1].id);
    first.close();

    const sent = await postHooks(100, "missed");
    const second = openSse(`${app.url}/api/events`, lastSeen, undefined, viewer);
    await second.ready;
    await second.waitFor((f) => eventsOf(f).filter((x) => (JSON.parse(x.data).payload?.id as string | undefined)?.startsWith("missed-")).length >= 100, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    second.close();

    const ids = eventsOf(second.frames).map((f) => Number(f.id));
    expect(ids[0]).toBeGreaterThan(lastSeen);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    const replayed = eventsOf(second.frames).map((f) => JSON.parse(f.data) as { payload: { id?: string } }).filter((e) => e.payload.id?.startsWith("missed-"));
    expect(replayed.map((e) => e.payload.id)).toEqual(sent);
    // Nothing else happened meanwhile on this quiet node, so the replay is exactly those 100.
    const log = (await (await app.fetch(`${app.url}/api/log?after=${lastSeen}&limit=1000`)).json()) as { events: { id: number }[] };
    expect(ids).toEqual(log.events.map((e) => e.id));
  });
});

describe("bad input on the Next port's hook route", () => {
  it("answers 4xx JSON, counts and records it, and keeps serving", async () => {
    const before = (await (await app.fetch(`${app.url}/api/health`)).json()) as { hooks: { rejected: Record<string, number> } };
    const bad = await app.fetch(`${app.url}/api/hooks/on_publish?token=wrong`, { method: "POST", body: "{}" });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ code: -1, reason: "bad_token" });
    const garbage = await app.fetch(`${app.url}/api/hooks/on_publish?token=${TOKEN}`, { method: "POST", body: "{oops" });
    expect(garbage.status).toBe(400);
    const huge = await app.fetch(`${app.url}/api/hooks/on_flow_report?token=${TOKEN}`, { method: "POST", body: JSON.stringify({ pad: "x".repeat(1024 * 1024 + 10) }) });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ reason: "too_large" });
    const after = (await (await app.fetch(`${app.url}/api/health`)).json()) as { hooks: { rejected: Record<string, number> } };
    expect(after.hooks.rejected.bad_token - before.hooks.rejected.bad_token).toBe(1);
    expect(after.hooks.rejected.malformed - before.hooks.rejected.malformed).toBe(1);
    expect(after.hooks.rejected.too_large - before.hooks.rejected.too_large).toBe(1);
    const log = (await (await app.fetch(`${app.url}/api/log?kind=hook.rejected&order=desc&limit=3`)).json()) as { events: { payload: { reason: string } }[] };
    expect(log.events.map((e) => e.payload.reason).sort()).toEqual(["bad_token", "malformed", "too_large"]);
    const bad422 = await app.fetch(`${app.url}/api/sessions?port=notaport`);
    expect(bad422.status).toBe(422);
    expect(await bad422.json()).toMatchObject({ error: "invalid_input" });
  });
});

describe("actions API on the running app", () => {
  it("safely reopens a key whose server waits for media, and refuses bad requests", async () => {
    await zlmCall(emu.url, "openRtpServer", { secret: SECRET, port: 0, stream_id: "it_reopen" });
    const post = (path: string, body: unknown) => app.fetch(`${app.url}/api/nodes/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const res = await post("zlm-it/rtp/reopen", { stream_id: "it_reopen", reason: "camera re-invited", confirmClose: true });
    expect(res.status).toBe(200);
    const result = (await res.json()) as { ok: boolean; outcome: string; port: number; steps: { step: string }[]; preflight: { held: boolean; port: number; activity: string } };
    // Nothing was live: the reopen keeps the waiting holder's port and says it waits for media (with ZLM's deadline).
    expect(result).toMatchObject({ ok: true, outcome: "waiting_for_media", preflight: { held: true, activity: "waiting" } });
    expect(result.port).toBe(result.preflight.port);
    expect(result.steps.map((s) => s.step)).toEqual(["preflight", "close", "release_confirmed", "open", "waiting_for_media"]);
    const listed = (await zlmCall(emu.url, "listRtpServer", { secret: SECRET })).json?.data as { stream_id: string; port: number }[];
    expect(listed.find((r) => r.stream_id === "it_reopen")?.port).toBe(result.port);
    expect((await post("zlm-it/rtp/reopen", { stream_id: "it_reopen" })).status).toBe(422);
    expect((await post("nope/rtp/close", { stream_id: "x", reason: "why not" })).status).toBe(404);
    expect((await post("zlm-it/rtp/explode", { stream_id: "x", reason: "why not" })).status).toBe(404);
    await zlmCall(emu.url, "closeRtpServer", { secret: SECRET, stream_id: "it_reopen" });
  });

  it("changes a node's rtp_proxy.timeoutSec and shows it", async () => {
    const set = (timeoutSec: number) => app.fetch(`${app.url}/api/nodes/zlm-it/config/timeout`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ timeoutSec, reason: "integration test" }) });
    const res = await set(3);
    expect(((await res.json()) as { outcome: string }).outcome).toBe("configured");
    expect(await (await app.fetch(`${app.url}/api/nodes/zlm-it/config/timeout`)).json()).toEqual({ node: "zlm-it", timeoutSec: 3 });
    expect((await set(0)).status).toBe(422);
    expect(((await (await set(2)).json()) as { outcome: string }).outcome).toBe("configured");
  });
});

describe("API tap", () => {
  it("forwards calls byte for byte, records them, and diagnoses 'already exists' while getRtpInfo says absent", async () => {
    const tapBase = `http://127.0.0.1:${app.zlmPort}/zlm/zlm-it`;
    const open = await zlmCall(tapBase, "openRtpServer", { secret: SECRET, port: 0, stream_id: "it_tap" });
    expect(open.text).toMatch(/^\{\n\t"code" : 0,\n\t"port" : \d+\n\}\n$/);
    const port = open.json?.port as number;
    await new Promise((r) => setTimeout(r, 1600)); // past the "opened twice" window: the holder is simply waiting
    expect((await zlmCall(tapBase, "getRtpInfo", { secret: SECRET, stream_id: "it_tap" })).text).toBe('{\n\t"code" : 0,\n\t"exist" : false\n}\n');
    const again = await zlmCall(tapBase, "openRtpServer", { secret: SECRET, port: 0, stream_id: "it_tap" });
    expect(again.text).toBe('{\n\t"code" : -300,\n\t"msg" : "This stream already exists"\n}\n');
    // The Next port serves the same tap.
    const viaNext = await zlmCall(`${app.url}/zlm/zlm-it`, "version", { secret: SECRET });
    expect(viaNext.text).toBe((await zlmCall(emu.url, "version", { secret: SECRET })).text);

    const key = "__defaultVhost__/rtp/it_tap";
    type Log = { events: { kind: string; source: string; port: number | null; payload: Record<string, unknown> }[] };
    const readLog = async () => (await (await app.fetch(`${app.url}/api/log?key=${encodeURIComponent(key)}&limit=100`)).json()) as Log;
    // The tap answers first and records right after.
    await expect.poll(async () => (await readLog()).events.some((e) => e.kind === "rtp.open_failed"), { timeout: 3000 }).toBe(true);
    const log = await readLog();
    expect(JSON.stringify(log)).not.toContain(SECRET);
    const opened = log.events.find((e) => e.kind === "rtp.opened" && e.source === "tap");
    expect(opened?.port).toBe(port);
    const failed = log.events.find((e) => e.kind === "rtp.open_failed");
    expect(failed?.payload).toMatchObject({ code: -300, kind: "conflict", rtpInfoExist: false, verdict: { cause: "a" } });
    const anomalies = (await (await app.fetch(`${app.url}/api/anomalies`)).json()) as { anomalies: { type: string; key: string }[] };
    expect(anomalies.anomalies.some((a) => a.type === "exists_but_absent" && a.key === key)).toBe(true);
    await zlmCall(emu.url, "closeRtpServer", { secret: SECRET, stream_id: "it_tap" });
  });
});

/** Posts `n` on_flow_report hooks one after another (so their order is known) to the lean listener. */
async function postHooks(n: number, tag: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `${tag}-${String(i).padStart(3, "0")}`;
    ids.push(id);
    const res = await fetch(`http://127.0.0.1:${app.zlmPort}/api/hooks/on_flow_report?token=${TOKEN}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ app: "rtp", duration: 3, hook_index: 10_000 + i, id, ip: "127.0.0.1", mediaServerId: "zlm-it", params: "", player: false, port: 5000, schema: "rtp", stream: "flow_s", totalBytes: 1000 + i, vhost: "__defaultVhost__" }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ code: 0, msg: "success" });
  }
  return ids;
}
