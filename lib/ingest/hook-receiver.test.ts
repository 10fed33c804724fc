import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { openSqliteStore, type SqliteEventStore } from "../events/sqlite-store";
import { EventBus } from "../live/bus";
import { Pipeline } from "../events/pipeline.server";
import { createHookReceiver, MAX_HOOK_BODY_BYTES, type HookReceiver } from "./hook-receiver";
import { createHookSink } from "./hook-sink";
import { startZlmListener, type ZlmListener } from "./zlm-listener.server";
import { NodeDirectory } from "./node-directory";
import { startHookRecorder, type HookRecorder } from "../testing/hook-recorder";
import { hookFixtures } from "../zlm/fixtures";

/** The receiver behind the real lean listener, writing to a real SQLite file. */
const TOKEN = "test-token-123";
let dir: string;
let store: SqliteEventStore;
let pipeline: Pipeline;
let receiver: HookReceiver;
let listener: ZlmListener;
let upstream: HookRecorder;
let upstreamAnswer: { status?: number; body: string; delayMs?: number } = { body: '{"code":0,"msg":"success"}' };
const directory = new NodeDirectory();

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-hooks-"));
  upstream = await startHookRecorder(() => upstreamAnswer);
  directory.add({ id: "zlm-a", mediaServerId: "msid-a", upstream: null });
  directory.add({ id: "zlm-b", mediaServerId: "msid-b", upstream: { baseUrl: `${upstream.url.replace(/\/index\/hook$/, "")}/index/hook?key=wvp`, budgetMs: 300, fallback: { code: 0, msg: "fallback" } } });
});

beforeEach(async () => {
  store = openSqliteStore(path.join(dir, `${Date.now()}-${Math.random()}.db`));
  pipeline = await Pipeline.open(store, new EventBus());
  receiver = createHookReceiver({ token: TOKEN, allowSources: null, resolveNode: (id) => directory.resolve(id), sink: createHookSink(pipeline) });
  listener = await startZlmListener({ host: "127.0.0.1", port: 0, receiver });
  upstreamAnswer = { body: '{"code":0,"msg":"success"}' };
});

afterEach(async () => {
  await listener.close();
  await store.close();
});

afterAll(async () => {
  await upstream.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function post(hook: string, body: string | Record<string, unknown>, token: string | null = TOKEN) {
  const res = await fetch(`http://127.0.0.1:${listener.port}/api/hooks/${hook}${token ? `?token=${token}` : ""}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const fixture = (file: string) => hookFixtures().find((f) => f.file === file)!.json;

describe("accepting hooks", () => {
  it("stores every recorded hook before answering ZLM's way", async () => {
    for (const f of hookFixtures()) {
      const hook = f.path.split("/").pop()!;
      const a = await post(hook, { ...f.json, mediaServerId: "msid-a" });
      expect(a, f.file).toEqual({ status: 200, json: { code: 0, msg: "success" } });
    }
    const events = await store.query({ limit: 1000 });
    const hookIndexes = new Set(events.map((e) => e.hookIndex));
    expect(hookIndexes.size).toBe(hookFixtures().length);
    expect(events.every((e) => e.nodeId === "zlm-a" && e.source === "hook")).toBe(true);
    expect(JSON.stringify(events)).not.toMatch(/"api\.secret":"(?!\*\*\*)/);
  });

  it("records a ZLM retry (same body, new hook_index) once when the first delivery was never acknowledged", async () => {
    const body: Record<string, unknown> = { ...fixture("on_rtp_server_timeout.json"), mediaServerId: "msid-a" };
    // Straight through the receiver: the answer is never "sent", as when ZLM gave up waiting.
    const first = await receiver.handle({ hook: "on_rtp_server_timeout", token: TOKEN, remoteAddress: "127.0.0.1", body: JSON.stringify(body), bodyBytes: 10 });
    expect(first.status).toBe(200);
    const retry = await post("on_rtp_server_timeout", { ...body, hook_index: (body.hook_index as number) + 5 });
    expect(retry.status).toBe(200);
    expect((await store.query({ kinds: ["rtp.timed_out"] })).length).toBe(1);
    expect(receiver.stats().duplicates).toBe(1);
  });

  it("records identical bodies again once each was acknowledged (ghost receivers repeat themselves)", async () => {
    const body = { ...fixture("on_rtp_server_timeout.json"), mediaServerId: "msid-a" };
    await post("on_rtp_server_timeout", body);
    await post("on_rtp_server_timeout", { ...body, hook_index: 999 });
    expect((await store.query({ kinds: ["rtp.timed_out"] })).length).toBe(2);
  });
});

describe("bad input: 4xx JSON, counted, recorded, never a crash", () => {
  const cases: [string, () => Promise<{ status: number; json: Record<string, unknown> }>, number, string][] = [
    ["wrong token", () => post("on_publish", fixture("on_publish.json"), "nope"), 401, "bad_token"],
    ["missing token", () => post("on_publish", fixture("on_publish.json"), null), 401, "bad_token"],
    ["not JSON", () => post("on_publish", "{not json"), 400, "malformed"],
    ["a JSON array", () => post("on_publish", "[1,2]"), 400, "malformed"],
    ["a field of the wrong type", () => post("on_rtp_server_timeout", { ...fixture("on_rtp_server_timeout.json"), local_port: "x" }), 422, "malformed"],
    ["an invalid hook name", () => post("DROP%20TABLE", {}), 404, "bad_hook_name"],
    ["over 1 MB", () => post("on_flow_report", { ...fixture("on_flow_report-pusher.json"), pad: "x".repeat(MAX_HOOK_BODY_BYTES) }), 413, "too_large"],
  ];
  for (const [name, send, status, reason] of cases) {
    it(`${name} -> ${status}`, async () => {
      const a = await send();
      expect(a.status).toBe(status);
      expect(a.json).toMatchObject({ code: -1, reason });
      expect(typeof a.json.msg).toBe("string");
      expect(receiver.stats().rejected[reason as keyof ReturnType<HookReceiver["stats"]>["rejected"]]).toBe(1);
      const rejected = await store.query({ kinds: ["hook.rejected"] });
      expect(rejected).toHaveLength(1);
      expect(rejected[0].payload).toMatchObject({ reason, status });
      // Still serving.
      expect((await post("on_server_keepalive", { ...fixture("on_server_keepalive.json"), mediaServerId: "msid-a" })).status).toBe(200);
    });
  }

  it("a body that stops half-way does not take the listener down", async () => {
    await new Promise<void>((resolve) => {
      const s = net.connect(listener.port, "127.0.0.1", () => {
        s.write(`POST /api/hooks/on_publish?token=${TOKEN} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"app":`);
        setTimeout(() => s.destroy(), 50);
      });
      s.on("close", () => resolve());
    });
    expect((await post("on_server_keepalive", { ...fixture("on_server_keepalive.json"), mediaServerId: "msid-a" })).status).toBe(200);
  });

  it("never stores a secret from a rejected body", async () => {
    const a = await post("on_server_started", '{"api.secret" : "035c73f7-bb6b-4889", "general.mediaServerId" : "msid-a", ');
    expect(a.status).toBe(400);
    const [rejected] = await store.query({ kinds: ["hook.rejected"] });
    expect(JSON.stringify(rejected)).not.toContain("035c73f7");
    expect(rejected.payload.excerpt).toContain('"api.secret" : "***"');
  });

  it("refuses sources outside the allow-list", async () => {
    const strict = createHookReceiver({ token: null, allowSources: ["10.9.9.9"], resolveNode: (id) => directory.resolve(id), sink: createHookSink(pipeline) });
    const l = await startZlmListener({ host: "127.0.0.1", port: 0, receiver: strict });
    const res = await fetch(`http://127.0.0.1:${l.port}/api/hooks/on_publish`, { method: "POST", body: JSON.stringify(fixture("on_publish.json")) });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ reason: "forbidden_source" });
    await l.close();
  });
});

describe("tee to the upstream business server", () => {
  it("returns the upstream's answer for on_publish, posted to BASE/<hook> with BASE's query kept", async () => {
    upstreamAnswer = { body: '{"code":0,"msg":"from wvp","enable_hls":false,"stream_replace":""}' };
    const a = await post("on_publish", { ...fixture("on_publish.json"), mediaServerId: "msid-b" });
    expect(a).toEqual({ status: 200, json: { code: 0, msg: "from wvp", enable_hls: false, stream_replace: "" } });
    const got = await upstream.waitFor((h) => h.name === "on_publish");
    expect(got.query.get("key")).toBe("wvp");
    expect(got.body.mediaServerId).toBe("msid-b");
    const stored = await store.query({ kinds: ["stream.publish"] });
    expect(stored[0]).toMatchObject({ nodeId: "zlm-b" });
    expect(stored[0].payload.portscope_tee).toMatchObject({ ok: true, status: 200 });
  });

  it("passes an upstream refusal through (ZLM must see it)", async () => {
    upstreamAnswer = { body: '{"code":-1,"msg":"camera not registered"}' };
    const a = await post("on_play", { ...fixture("on_play.json"), mediaServerId: "msid-b" });
    expect(a.json).toEqual({ code: -1, msg: "camera not registered" });
  });

  it("answers the configured fallback when the upstream is too slow, fails or answers garbage", async () => {
    for (const answer of [{ body: '{"code":0}', delayMs: 1000 }, { status: 500, body: "boom" }, { body: '{"code":"0"}' }]) {
      upstreamAnswer = answer;
      const started = Date.now();
      const a = await post("on_stream_none_reader", { ...fixture("on_stream_none_reader.json"), mediaServerId: "msid-b" });
      expect(a.json).toEqual({ code: 0, msg: "fallback" });
      expect(Date.now() - started).toBeLessThan(900);
    }
    expect(receiver.stats().forwardFailures).toBe(3);
  });

  it("forwards hooks whose answer ZLM ignores, without waiting for the upstream", async () => {
    upstreamAnswer = { body: '{"code":0}', delayMs: 400 };
    const started = Date.now();
    const a = await post("on_flow_report", { ...fixture("on_flow_report-pusher.json"), mediaServerId: "msid-b" });
    expect(a.json).toEqual({ code: 0, msg: "success" });
    expect(Date.now() - started).toBeLessThan(300);
    await upstream.waitFor((h) => h.name === "on_flow_report");
  });
});
