import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "./emulator";
import { SimulatedCamera } from "./camera";
import { DEFAULT_KNOBS } from "./knobs";
import { startHookRecorder, type HookRecorder } from "../testing/hook-recorder";
import { zlmCall } from "../testing/zlm-call";

/**
 * Each cause of "This stream already exists" while getRtpInfo says
 * exist:false (zlm-reference §5.6), reproduced through the emulator's knobs.
 */
const SECRET = "knob-secret";
const ALREADY_EXISTS = '{\n\t"code" : -300,\n\t"msg" : "This stream already exists"\n}\n';
let emu: Emulator;
let hooks: HookRecorder;
const cameras: SimulatedCamera[] = [];
let publishDelayMs = 0;

beforeAll(async () => {
  hooks = await startHookRecorder((h) => ({ body: '{"code":0,"msg":"success"}', delayMs: h.name === "on_publish" ? publishDelayMs : 0 }));
  emu = await startEmulator({ secret: SECRET, mediaServerId: "zlm-knobs", hookUrl: hooks.url, timeoutSec: 1, portRange: [26500, 26900], aliveIntervalSec: 600, seed: 2 });
});

afterEach(async () => {
  for (const c of cameras.splice(0)) c.stop();
  emu.setKnobs(DEFAULT_KNOBS);
  publishDelayMs = 0;
  for (const key of [...emu.servers.keys()]) {
    const [vhost, app, stream_id] = key.split("/");
    await call("closeRtpServer", { vhost, app, stream_id });
  }
});

afterAll(async () => {
  await emu?.stop();
  await hooks?.close();
});

const call = (endpoint: string, q: Record<string, string | number> = {}) => zlmCall(emu.url, endpoint, { secret: SECRET, ...q });

/** The wvp pattern: getRtpInfo says absent, so open, and get "already exists". */
async function expectAlreadyExistsWhileAbsent(streamId: string, extra: Record<string, string> = {}) {
  expect((await call("getRtpInfo", { stream_id: streamId, ...extra })).json).toEqual({ code: 0, exist: false });
  const answer = await call("openRtpServer", { port: 0, stream_id: streamId, ...extra });
  expect(answer.text).toBe(ALREADY_EXISTS);
  expect(answer.headers.connection).toBe("close");
}

function send(port: number, ssrc: number, opts: { payloadMode?: "ps" | "garbage"; ssrcOverride?: number } = {}) {
  const cam = new SimulatedCamera({ id: `3402000000132000${String(ssrc).padStart(4, "0")}`, ssrc, fps: 25 });
  cameras.push(cam);
  cam.start(port, opts);
  return cam;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("'already exists' while getRtpInfo says absent", () => {
  it("(a) media never arrives: the waiting server holds the key", async () => {
    expect((await call("openRtpServer", { port: 0, stream_id: "k_nomedia" })).json?.code).toBe(0);
    await expectAlreadyExistsWhileAbsent("k_nomedia");
    expect(JSON.stringify((await call("listRtpServer")).json)).toContain("k_nomedia");
  });

  it("(a) media is lost on the way (dropPackets knob)", async () => {
    emu.setStreamKnobs("k_drop", { dropPackets: true });
    const port = (await call("openRtpServer", { port: 0, stream_id: "k_drop" })).json?.port as number;
    send(port, 11);
    await sleep(400);
    await expectAlreadyExistsWhileAbsent("k_drop");
    emu.setStreamKnobs("k_drop", null);
  });

  it("(a) late media (mediaDelayMs knob)", async () => {
    emu.setStreamKnobs("k_late", { mediaDelayMs: 1500 });
    const port = (await call("openRtpServer", { port: 0, stream_id: "k_late" })).json?.port as number;
    send(port, 12);
    await sleep(500);
    await expectAlreadyExistsWhileAbsent("k_late");
    emu.setStreamKnobs("k_late", null);
  });

  it("(a) a slow on_publish answer", async () => {
    publishDelayMs = 1500;
    const port = (await call("openRtpServer", { port: 0, stream_id: "k_slowpub" })).json?.port as number;
    send(port, 13);
    await hooks.waitFor((h) => h.name === "on_publish" && h.body.stream === "k_slowpub");
    await expectAlreadyExistsWhileAbsent("k_slowpub");
  });

  it("(a) the publishDelayMs knob delays registration the same way", async () => {
    emu.setKnobs({ publishDelayMs: 1500 });
    const port = (await call("openRtpServer", { port: 0, stream_id: "k_pubknob" })).json?.port as number;
    send(port, 14);
    await hooks.waitFor((h) => h.name === "on_publish" && h.body.stream === "k_pubknob");
    await sleep(300);
    await expectAlreadyExistsWhileAbsent("k_pubknob");
  });

  it("(a) undecodable payload: on_publish is sent but nothing registers", async () => {
    const port = (await call("openRtpServer", { port: 0, stream_id: "k_garbage" })).json?.port as number;
    send(port, 15, { payloadMode: "garbage" });
    await hooks.waitFor((h) => h.name === "on_publish" && h.body.stream === "k_garbage");
    await sleep(500);
    await expectAlreadyExistsWhileAbsent("k_garbage");
  });

  it("(a) SSRC mismatch", async () => {
    const port = (await call("openRtpServer", { port: 0, stream_id: "k_ssrc", ssrc: 16 })).json?.port as number;
    send(port, 16, { ssrcOverride: 99 });
    await sleep(500);
    await expectAlreadyExistsWhileAbsent("k_ssrc", {});
  });

  it("(c) check-then-act race: two platforms both see absent, the second open loses", async () => {
    emu.setKnobs({ openLatencyMs: 100, assertionRate: 0 });
    const [infoA, infoB] = await Promise.all([call("getRtpInfo", { stream_id: "k_race" }), call("getRtpInfo", { stream_id: "k_race" })]);
    expect(infoA.json?.exist).toBe(false);
    expect(infoB.json?.exist).toBe(false);
    const answers = await Promise.all([call("openRtpServer", { port: 0, stream_id: "k_race" }), call("openRtpServer", { port: 0, stream_id: "k_race" })]);
    expect(answers.filter((a) => a.json?.code === 0)).toHaveLength(1);
    expect(answers.filter((a) => a.text === ALREADY_EXISTS)).toHaveLength(1);
  });

  it("(c) concurrent opens: exactly one wins, losers get -300 or ZLM's -400 assertion", async () => {
    // A wide window, so the opens overlap even on a busy machine; one that still arrives after the winner's insert gets -300.
    emu.setKnobs({ openLatencyMs: 500, assertionRate: 1 });
    const answers = await Promise.all([0, 1, 2, 3].map(() => call("openRtpServer", { port: 0, stream_id: "k_conc" })));
    expect(answers.filter((a) => a.json?.code === 0)).toHaveLength(1);
    const losers = answers.filter((a) => a.json?.code !== 0);
    const assertion = (a: (typeof answers)[number]) => a.json?.code === -400 && String(a.json?.msg).startsWith("Assertion failed: (it.second), function makeWithAction");
    expect(losers.every((a) => assertion(a) || (a.json?.code === -300 && a.json?.msg === "This stream already exists"))).toBe(true);
    expect(losers.some(assertion)).toBe(true);
    const listed = ((await call("listRtpServer")).json?.data as { stream_id: string }[]).filter((s) => s.stream_id === "k_conc");
    expect(listed).toHaveLength(1);
  });

  it("(f) legacy teardown order: stream gone, registry entry still there", async () => {
    emu.setKnobs({ teardownOrder: "legacy", legacyTeardownGapMs: 1500 });
    expect((await call("version")).json?.data).toMatchObject({ commitHash: "Git_Unkown_commit" });
    const port = (await call("openRtpServer", { port: 0, stream_id: "k_legacy" })).json?.port as number;
    const cam = send(port, 17);
    await hooks.waitFor((h) => h.name === "on_publish" && h.body.stream === "k_legacy");
    cam.stop();
    // The stream disappears at the timeout tick; the entry lingers for legacyTeardownGapMs.
    await hooks.waitFor((h) => h.name === "on_stream_changed" && h.body.regist === false && h.body.stream === "k_legacy", 6000).catch(() => null);
    const deadline = Date.now() + 6000;
    while ((await call("getRtpInfo", { stream_id: "k_legacy" })).json?.exist !== false && Date.now() < deadline) await sleep(50);
    await expectAlreadyExistsWhileAbsent("k_legacy");
    const timeout = await hooks.waitFor((h) => h.name === "on_rtp_server_timeout" && h.body.stream_id === "k_legacy", 4000);
    expect(timeout).toBeTruthy();
    expect((await call("openRtpServer", { port: 0, stream_id: "k_legacy" })).json?.code).toBe(0);
  }, 15_000);

  it("(d) a close with the wrong app misses and leaves the entry", async () => {
    expect((await call("openRtpServer", { port: 0, stream_id: "k_app", app: "live" })).json?.code).toBe(0);
    expect((await call("closeRtpServer", { stream_id: "k_app" })).json).toEqual({ code: 0, hit: 0 });
    await expectAlreadyExistsWhileAbsent("k_app", { app: "live" });
  });

  it("(d) the older duplicate text when asked", async () => {
    emu.setKnobs({ duplicateMessage: "legacy" });
    await call("openRtpServer", { port: 0, stream_id: "k_oldmsg" });
    expect((await call("openRtpServer", { port: 0, stream_id: "k_oldmsg" })).json).toEqual({ code: -300, msg: "该stream_id已存在" });
  });
});

describe("fixed ports", () => {
  it("(e) a fixed port held by another server fails to bind unless both set re_use_port", async () => {
    expect((await call("openRtpServer", { port: 26950, stream_id: "k_fixed" })).json).toEqual({ code: 0, port: 26950 });
    const clash = await call("openRtpServer", { port: 26950, stream_id: "k_fixed2", re_use_port: 1 });
    expect(clash.json).toEqual({ code: -400, msg: "创建rtp端口 127.0.0.1:26950 失败:address already in use" });
    expect(clash.text).toContain("\\u521b\\u5efartp\\u7aef\\u53e3 127.0.0.1:26950 \\u5931\\u8d25:address already in use");
    expect((await call("openRtpServer", { port: 26960, stream_id: "k_reuse1", re_use_port: 1 })).json?.code).toBe(0);
    expect((await call("openRtpServer", { port: 26960, stream_id: "k_reuse2", re_use_port: 1 })).json?.code).toBe(0);
  });

  it("(e) close + immediate reopen of a fixed port works, but not while an older build's sockets linger", async () => {
    await call("openRtpServer", { port: 26970, stream_id: "k_rebind" });
    await call("closeRtpServer", { stream_id: "k_rebind" });
    expect((await call("openRtpServer", { port: 26970, stream_id: "k_rebind" })).json).toEqual({ code: 0, port: 26970 });
    emu.setKnobs({ releaseDelayMs: 500 });
    await call("closeRtpServer", { stream_id: "k_rebind" });
    expect((await call("openRtpServer", { port: 26970, stream_id: "k_rebind" })).json?.code).toBe(-400);
  });
});

describe("API envelope", () => {
  it("a wrong or missing secret gets -100 with a cookie field and a ZLM_UNLOGIN cookie", async () => {
    for (const q of [{ secret: "wrong" }, {}] as Record<string, string>[]) {
      const a = await zlmCall(emu.url, "listRtpServer", q);
      expect(a.status).toBe(200);
      expect(Object.keys(a.json ?? {}).sort()).toEqual(["code", "cookie", "msg"]);
      expect(a.json).toMatchObject({ code: -100, msg: "Please login first" });
      expect(String(a.json?.cookie)).toMatch(/^[0-9a-f]{32}$/);
      expect(String(a.headers["set-cookie"])).toContain(`ZLM_UNLOGIN=${a.json?.cookie};expires=`);
    }
  });

  it("takes parameters from a JSON body, a form body and headers, case-insensitively", async () => {
    const json = await zlmCall(emu.url, "openRtpServer", {}, { method: "POST", contentType: "application/json", body: JSON.stringify({ secret: SECRET, port: 0, Stream_ID: "k_json" }) });
    expect(json.json?.code).toBe(0);
    const form = await zlmCall(emu.url, "getRtpInfo", {}, { method: "POST", contentType: "application/x-www-form-urlencoded", body: `secret=${SECRET}&stream_id=k_json` });
    expect(form.json).toEqual({ code: 0, exist: false });
    const header = await zlmCall(emu.url, "closeRtpServer", { stream_id: "k_json" }, { headers: { secret: SECRET } });
    expect(header.json).toEqual({ code: 0, hit: 1 });
  });

  it("pauseRtpCheck answers a bare {code:-500} for a server that has no live stream", async () => {
    await call("openRtpServer", { port: 0, stream_id: "k_pause" });
    const a = await call("pauseRtpCheck", { stream_id: "k_pause" });
    expect(a.text).toBe('{\n\t"code" : -500\n}\n');
    expect(a.headers["set-cookie"]).toBeDefined();
  });

  it("a restart empties both registries and posts on_server_started from hook_index 0", async () => {
    await call("openRtpServer", { port: 0, stream_id: "k_restart" });
    const before = hooks.hooks.length;
    await emu.restart(100);
    const started = await hooks.waitFor((h) => h.name === "on_server_started" && hooks.hooks.indexOf(h) >= before);
    expect(started.body.hook_index).toBe(0);
    expect(started.body["api.secret"]).toBe(SECRET);
    expect((await call("listRtpServer")).json).toEqual({ code: 0 });
    expect((await call("openRtpServer", { port: 0, stream_id: "k_restart" })).json?.code).toBe(0);
  });
});
