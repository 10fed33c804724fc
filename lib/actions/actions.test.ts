import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmulator, type Emulator } from "../sim/emulator";
import { createZlmClient } from "../zlm/client";
import { openSqliteStore, type SqliteEventStore } from "../events/sqlite-store";
import { EventBus } from "../live/bus";
import { Pipeline } from "../events/pipeline.server";
import { createActions, type ActionResult } from "./actions.server";
import { zlmCall } from "../testing/zlm-call";
import { createDiagnoser } from "../diagnosis/diagnoser";
import { backoffCeilingMs, DEFAULT_RETRY_POLICY } from "./retry-policy";
import { SimulatedCamera } from "../sim/camera";

/** Close and safe reopen against the emulator's real sockets, every step recorded in a real SQLite log. */
const SECRET = "actions-secret";
let emu: Emulator;
let dir: string;
let store: SqliteEventStore;
let pipeline: Pipeline;

beforeAll(async () => {
  emu = await startEmulator({ secret: SECRET, mediaServerId: "zlm-actions", hookUrl: null, timeoutSec: 2, portRange: [24000, 24400], aliveIntervalSec: 3600, seed: 5 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-actions-"));
  store = openSqliteStore(path.join(dir, "a.db"));
  pipeline = await Pipeline.open(store, new EventBus());
});

afterAll(async () => {
  await store.close();
  await emu.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const actionsWith = (secret = SECRET, random = () => 0.9) =>
  createActions({
    append: (evs) => pipeline.append(evs),
    lifecycle: pipeline.lifecycle,
    clientFor: (id) => (id === "zlm" ? createZlmClient({ id, url: emu.url, secret }) : null),
    releasePollMs: 50,
    random,
  });
const call = (endpoint: string, q: Record<string, string | number> = {}) => zlmCall(emu.url, endpoint, { secret: SECRET, ...q });
const listed = async (stream: string) => JSON.stringify((await call("listRtpServer")).json).includes(`"${stream}"`);
async function timeline(result: ActionResult, stream: string) {
  const events = await store.query({ key: `__defaultVhost__/rtp/${stream}`, limit: 1000 });
  return events.filter((e) => e.payload.actionId === result.actionId).map((e) => (e.kind === "action.step" ? `step:${e.payload.step}` : e.kind));
}

describe("safe reopen", () => {
  it("closes a server still waiting for media, waits for the release, and opens again, every step on the timeline", async () => {
    expect((await call("openRtpServer", { port: 0, stream_id: "act_wait" })).json?.code).toBe(0);
    const r = await actionsWith().reopen("zlm", { stream_id: "act_wait", port: 0, tcp_mode: 0, reason: "camera re-invited", confirmClose: true });
    expect(r).toMatchObject({ ok: true, outcome: "waiting_for_media", attempts: 1, preflight: { held: true, activity: "waiting", mediaLive: false } });
    expect(r.mediaDeadline).toBeGreaterThan(Date.now());
    expect(await timeline(r, "act_wait")).toEqual(["action.started", "step:preflight", "rtp.opened", "rtp.close_requested", "rtp.closed", "step:close", "rtp.released", "step:release_confirmed", "rtp.opened", "step:open", "step:waiting_for_media", "action.finished"]);
    expect((await call("listRtpServer")).json?.data).toEqual([expect.objectContaining({ stream_id: "act_wait", port: r.port })]);
    await call("closeRtpServer", { stream_id: "act_wait" });
  });

  it("does not close a holder without the operator's confirmation", async () => {
    await call("openRtpServer", { port: 0, stream_id: "act_confirm" });
    const r = await actionsWith().reopen("zlm", { stream_id: "act_confirm", port: 0, tcp_mode: 0, reason: "try", confirmClose: false });
    expect(r).toMatchObject({ ok: false, outcome: "needs_confirmation" });
    expect(await listed("act_confirm")).toBe(true);
    await call("closeRtpServer", { stream_id: "act_confirm" });
  });

  it("stops at once on a permanent error (wrong secret)", async () => {
    const r = await actionsWith("wrong-secret").reopen("zlm", { stream_id: "act_perm", port: 0, tcp_mode: 0, reason: "try", confirmClose: true });
    expect(r).toMatchObject({ ok: false, outcome: "failed", attempts: 0, error: { code: -100, kind: "permanent" } });
    expect(r.steps).toEqual([]);
  });

  it("retries a conflict with growing delays and succeeds once ZLM releases the key", async () => {
    // Another client grabs the key the moment our close is confirmed (the wvp race) and never sends media:
    // ZLM keeps answering "already exists" until that server times out (timeoutSec 2, 3 s tick).
    let closed = false;
    let stolen = false;
    let stolenPort = 0;
    let seen = false;
    const real = createZlmClient({ id: "zlm", url: emu.url, secret: SECRET });
    const racing = {
      ...real,
      closeRtpServer: async (p: Parameters<typeof real.closeRtpServer>[0]) => {
        closed = true;
        return real.closeRtpServer(p);
      },
      listRtpServer: async () => {
        const rows = await real.listRtpServer();
        if (closed && !stolen && !rows.some((x) => x.stream_id === "act_race")) {
          const grabbed = await call("openRtpServer", { port: 0, stream_id: "act_race" });
          stolen = grabbed.json?.code === 0;
          stolenPort = grabbed.json?.port as number;
        }
        return rows;
      },
      openRtpServer: async (p: Parameters<typeof real.openRtpServer>[0]) => {
        // What the poller records on its next round: the other client's server, before our open lands.
        if (stolen && !seen) {
          seen = true;
          await pipeline.append([{ at: Date.now(), nodeId: "zlm", kind: "rtp.opened", key: "__defaultVhost__/rtp/act_race", port: stolenPort, source: "poll", payload: { discoveredBy: "test" } }]);
        }
        return real.openRtpServer(p);
      },
    };
    await call("openRtpServer", { port: 0, stream_id: "act_race" });
    const diagnose = createDiagnoser({ lifecycle: pipeline.lifecycle, recentForStream: async () => [], buildTime: () => null });
    const actions = createActions({ append: (evs) => pipeline.append(evs), lifecycle: pipeline.lifecycle, clientFor: () => racing, releasePollMs: 50, random: () => 0.9, diagnose });
    const r = await actions.reopen("zlm", { stream_id: "act_race", port: 0, tcp_mode: 0, reason: "race", confirmClose: true });
    expect(stolen).toBe(true);
    expect(r).toMatchObject({ ok: true, outcome: "waiting_for_media" });
    expect(r.attempts).toBeGreaterThanOrEqual(2);
    const failures = r.steps.filter((s) => s.step === "open_attempt_failed");
    expect(failures.every((s) => s.detail.kind === "conflict" && s.detail.retry === true)).toBe(true);
    const delays = failures.map((s) => s.detail.delayMs as number);
    delays.forEach((d, i) => expect(d).toBe(Math.floor(0.9 * backoffCeilingMs(DEFAULT_RETRY_POLICY, i + 1))));
    expect(delays).toEqual([...delays].sort((a, b) => a - b));
    // Every "already exists" the action met carries a verdict, like the tap's: first a duplicate open, then a waiting holder.
    const failed = (await store.query({ key: "__defaultVhost__/rtp/act_race", kinds: ["rtp.open_failed"] })).filter((e) => e.payload.actionId === r.actionId);
    expect(failed).toHaveLength(failures.length);
    const causes = failed.map((e) => (e.payload.verdict as { cause: string }).cause);
    expect(causes[0]).toBe("c");
    expect(causes.at(-1)).toBe("a");
    expect(failed.every((e) => typeof (e.payload.verdict as { fix?: unknown }).fix === "string")).toBe(true);
    await call("closeRtpServer", { stream_id: "act_race" });
  }, 40_000);

  it("serialises reopens of one key: a second request joins the first", async () => {
    const actions = actionsWith();
    const [a, b] = await Promise.all([
      actions.reopen("zlm", { stream_id: "act_join", port: 0, tcp_mode: 0, reason: "one", confirmClose: true }),
      actions.reopen("zlm", { stream_id: "act_join", port: 0, tcp_mode: 0, reason: "two", confirmClose: true }),
    ]);
    expect(a).toBe(b);
    expect(a.outcome).toBe("waiting_for_media");
    await call("closeRtpServer", { stream_id: "act_join" });
  });
});

describe("safe reopen of a key whose camera keeps sending", () => {
  const live = async (stream: string, ssrc: number) => {
    const opened = await call("openRtpServer", { port: 0, stream_id: stream, ssrc });
    const port = opened.json?.port as number;
    const cam = new SimulatedCamera({ id: `3402000000132000${String(ssrc).slice(-4)}`, ssrc, fps: 25 });
    cam.start(port);
    for (let i = 0; i < 100 && (await call("getRtpInfo", { stream_id: stream })).json?.exist !== true; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1200)); // bytesSpeed is a per-second figure
    return { port, cam };
  };

  it("says the media is live before anything is touched", async () => {
    const { cam } = await live("act_pre", 4101);
    const pre = await actionsWith().preflight("zlm", { stream_id: "act_pre" });
    expect(pre).toMatchObject({ held: true, activity: "receiving", mediaLive: true, ssrc: 4101, tcpMode: 0 });
    expect(pre.bytesPerSec).toBeGreaterThan(0);
    cam.stop();
    await call("closeRtpServer", { stream_id: "act_pre" });
  });

  it("keeps the port, mode and SSRC, and the camera's media resumes on the same port", async () => {
    const { port, cam } = await live("act_live", 4102);
    const r = await actionsWith().reopen("zlm", { stream_id: "act_live", reason: "stuck picture", confirmClose: true });
    expect(r).toMatchObject({ ok: true, outcome: "media_resumed", port, preflight: { activity: "receiving", port, ssrc: 4102 } });
    expect(r.resumedAfterMs).toBeGreaterThanOrEqual(0);
    expect(r.steps.map((s) => s.step)).toEqual(["preflight", "close", "release_confirmed", "open", "media_resumed"]);
    expect((await call("listRtpServer")).json?.data).toEqual([expect.objectContaining({ stream_id: "act_live", port, ssrc: 4102, tcp_mode: 0 })]);
    expect((await call("getRtpInfo", { stream_id: "act_live" })).json).toMatchObject({ exist: true, local_port: port });
    cam.stop();
    await call("closeRtpServer", { stream_id: "act_live" });
  }, 30_000);

  it("never claims success when the media does not come back (the operator chose another port)", async () => {
    const { port, cam } = await live("act_moved", 4103);
    const actions = createActions({ append: (evs) => pipeline.append(evs), lifecycle: pipeline.lifecycle, clientFor: () => createZlmClient({ id: "zlm", url: emu.url, secret: SECRET }), releasePollMs: 50, resumeWaitMs: 1500 });
    const r = await actions.reopen("zlm", { stream_id: "act_moved", keep: false, reason: "try another port", confirmClose: true });
    expect(r.port).not.toBe(port);
    expect(r).toMatchObject({ ok: false, outcome: "media_not_resumed" });
    expect(r.steps.at(-1)?.step).toBe("media_not_resumed");
    cam.stop();
    await call("closeRtpServer", { stream_id: "act_moved" });
  }, 30_000);
});

describe("close", () => {
  it("closes by the exact key ZLM listed and confirms the release", async () => {
    await call("openRtpServer", { port: 0, stream_id: "act_close", app: "live" });
    const r = await actionsWith().close("zlm", { stream_id: "act_close", app: "live", reason: "stuck port" });
    expect(r).toMatchObject({ ok: true, outcome: "closed" });
    expect(await listed("act_close")).toBe(false);
    expect((await actionsWith().close("zlm", { stream_id: "act_close", app: "live", reason: "again" })).outcome).toBe("nothing_to_close");
  });
});

describe("rtp_proxy.timeoutSec", () => {
  it("changes it through setServerConfig, confirms by reading it back, and records the change", async () => {
    const r = await actionsWith().setTimeoutSec("zlm", { timeoutSec: 7, reason: "cameras need longer to answer INVITE" });
    expect(r).toMatchObject({ ok: true, outcome: "configured" });
    expect(r.steps[0].detail).toMatchObject({ key: "rtp_proxy.timeoutSec", before: "2", after: "7", changed: 1 });
    const config = (await call("getServerConfig")).json?.data as Record<string, string>[];
    expect(config[0]["rtp_proxy.timeoutSec"]).toBe("7");
    expect(pipeline.lifecycle.node("zlm")?.timeoutSec).toBe(7);
    await actionsWith().setTimeoutSec("zlm", { timeoutSec: 2, reason: "back to the test setting" });
  });

  it("refuses an unknown node", async () => {
    await expect(actionsWith().setTimeoutSec("nope", { timeoutSec: 5, reason: "x y z" })).rejects.toThrow(/no node nope/);
  });
});
