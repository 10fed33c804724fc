import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulatorRig, type EmulatorRig } from "../testing/emulator-rig";
import { zlmCall } from "../testing/zlm-call";
import { SimulatedCamera } from "../sim/camera";
import { sessionMatcher } from "../api/session-filter";

/**
 * The emulator (real sockets, real hook POSTs) -> the lean hook listener and
 * the poller -> a real SQLite log: fixed-port reopens after a timeout and
 * after a restart must give two sessions each, and no false anomaly.
 */
let rig: EmulatorRig;

beforeAll(async () => {
  rig = await startEmulatorRig({ name: "lc", timeoutSec: 1, portRange: [29400, 29600], seed: 11 });
});

afterAll(async () => {
  await rig?.stop();
});


const tapped = (endpoint: string, q: Record<string, string | number> = {}) => zlmCall(rig.tapUrl, endpoint, { secret: rig.secret, ...q });
const call = (endpoint: string, q: Record<string, string | number> = {}) => zlmCall(rig.emu.url, endpoint, { secret: rig.secret, ...q });
const key = (s: string) => `__defaultVhost__/rtp/${s}`;
const sessions = (stream: string) => rig.pipeline.lifecycle.sessions(sessionMatcher({ key: key(stream) })).reverse().map((s) => [s.port, s.state, s.endCause]);
async function until(what: () => Promise<boolean> | boolean, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}
const stored = async (kind: "rtp.timed_out" | "node.started" | "rtp.opened" | "tap.call" | "rtp.receiving", stream?: string) => (await rig.store.query({ kinds: [kind], ...(stream ? { key: key(stream) } : {}) })).length > 0;

describe("against the emulator", () => {
  it("a server without media times out and is reopened on the same fixed port before the next poll: two sessions", async () => {
    expect((await call("openRtpServer", { port: 29500, tcp_mode: 0, stream_id: "lc_fixed" })).json?.code).toBe(0);
    await rig.poller.pollOnce();
    await until(() => stored("rtp.timed_out", "lc_fixed"));
    expect((await call("openRtpServer", { port: 29500, tcp_mode: 0, stream_id: "lc_fixed" })).json?.code).toBe(0);
    await rig.poller.pollOnce();
    expect(sessions("lc_fixed")).toEqual([[29500, "released", "timed out"], [29500, "waiting", null]]);
    await call("closeRtpServer", { stream_id: "lc_fixed" });
    await rig.poller.pollOnce();
  });

  it("a restart (same mediaServerId, as ZLM keeps it) and a reopen on the same fixed port: two sessions, no anomaly", async () => {
    expect((await call("openRtpServer", { port: 29520, tcp_mode: 0, stream_id: "lc_restart" })).json?.code).toBe(0);
    await rig.poller.pollOnce();
    await rig.emu.restart(100);
    await until(() => stored("node.started"));
    expect((await call("openRtpServer", { port: 29520, tcp_mode: 0, stream_id: "lc_restart" })).json?.code).toBe(0);
    await rig.poller.pollOnce();
    expect(sessions("lc_restart")).toEqual([[29520, "released", "node restarted"], [29520, "waiting", null]]);
    expect((await rig.store.query({ kinds: ["node.restarted"] })).length).toBe(0);
    expect(rig.pipeline.lifecycle.anomalies(Date.now()).filter((a) => a.type === "vanished_without_hook" || a.type === "ghost_receiver")).toEqual([]);
  });

  it("through the tap: close_streams answering -400 on a live stream, then a reopen 5 ms later: closed, then waiting, no anomaly", async () => {
    const port = (await tapped("openRtpServer", { port: 0, tcp_mode: 0, stream_id: "lc_cs", ssrc: 4242 })).json?.port as number;
    const cam = new SimulatedCamera({ id: "34020000001320004242", ssrc: 4242, fps: 25 });
    cam.start(port);
    try {
      await until(async () => (((await call("getMediaList", { stream: "lc_cs" })).json?.data as unknown[] | undefined)?.length ?? 0) >= 2);
      await rig.poller.pollOnce();
      expect((await tapped("close_streams", { app: "rtp", stream: "lc_cs", force: 1 })).json?.code).toBe(-400);
      await until(() => stored("tap.call", "lc_cs"));
      cam.stop();
      const reopened = (await tapped("openRtpServer", { port: 0, tcp_mode: 0, stream_id: "lc_cs" })).json?.port as number;
      await until(async () => (await rig.store.query({ kinds: ["rtp.opened"], key: key("lc_cs") })).length === 2);
      await rig.poller.pollOnce();
      await new Promise((r) => setTimeout(r, 1700)); // past the vanish grace
      await rig.poller.pollOnce();
      expect(sessions("lc_cs")).toEqual([[port, "released", "closed"], [reopened, "waiting", null]]);
      expect(rig.pipeline.lifecycle.anomalies(Date.now()).filter((a) => a.key === key("lc_cs") && a.type !== "waiting_past_timeout")).toEqual([]);
    } finally {
      cam.stop();
    }
  });
});
