import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "./emulator";
import { SimulatedCamera } from "./camera";
import { startHookRecorder } from "../testing/hook-recorder";
import { zlmCall } from "../testing/zlm-call";

/**
 * updateRtpServerSSRC as a real fdaec26 build does it (/work/zlm-real/REPORT.md of 2026-12-03,
 * questions a, b, d, e, h): the race shield's `absorb` policy adopts waiting servers with it.
 */
const SECRET = "ssrc-secret";
const A = 1100000001;
const B = 1100000002;
let emu: Emulator;
let hooks: Awaited<ReturnType<typeof startHookRecorder>>;
const cameras: SimulatedCamera[] = [];

beforeAll(async () => {
  hooks = await startHookRecorder();
  // timeoutSec 2: a never-fed server goes at the first 3 s check (the build's rule with 5 s: the 6 s check).
  emu = await startEmulator({ secret: SECRET, mediaServerId: "zlm-ssrc", hookUrl: hooks.url, timeoutSec: 2, portRange: [37400, 37498], aliveIntervalSec: 3600, seed: 3 });
});

afterAll(async () => {
  for (const c of cameras) c.stop();
  await emu.stop();
  await hooks.close();
});

const call = async (endpoint: string, q: Record<string, string | number>) => (await zlmCall(emu.url, endpoint, { secret: SECRET, ...q })).json ?? {};
const camera = (ssrc: number) => {
  const c = new SimulatedCamera({ id: "34020000001320000001", ssrc, fps: 25 });
  cameras.push(c);
  return c;
};
async function existWithin(stream: string, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if ((await call("getRtpInfo", { stream_id: stream })).exist === true) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}
const listedSsrc = async (stream: string) => ((await call("listRtpServer", {})).data as { stream_id: string; ssrc: number }[] | undefined)?.find((r) => r.stream_id === stream)?.ssrc;

describe("updateRtpServerSSRC on a waiting server, as on the real build", () => {
  it("(a) moves the filter: media with the new SSRC is accepted at once; the timeout hook still names the open-time SSRC", async () => {
    const port = (await call("openRtpServer", { port: 0, stream_id: "u_a", ssrc: A })).port as number;
    expect(await call("updateRtpServerSSRC", { stream_id: "u_a", ssrc: B })).toEqual({ code: 0 });
    expect(await listedSsrc("u_a")).toBe(B);
    const cam = camera(B);
    cam.start(port);
    expect(await existWithin("u_a", 1500)).toBe(true);
    cam.stop();
    const timeout = await hooks.waitFor((h) => h.name === "on_rtp_server_timeout" && h.body.stream_id === "u_a", 8000);
    expect(timeout.body.ssrc).toBe(A);
  }, 12_000);

  it("(b) drops the old SSRC without latching its sender: a second sender with the new SSRC is still taken", async () => {
    const port = (await call("openRtpServer", { port: 0, stream_id: "u_b", ssrc: A })).port as number;
    await call("updateRtpServerSSRC", { stream_id: "u_b", ssrc: B });
    const old = camera(A);
    old.start(port);
    expect(await existWithin("u_b", 700)).toBe(false);
    const next = camera(B); // another socket, another source port
    next.start(port);
    expect(await existWithin("u_b", 1500)).toBe(true);
    const info = await call("getRtpInfo", { stream_id: "u_b" });
    expect(info.peer_port).toBe(next.localPort);
    old.stop();
    next.stop();
    await call("closeRtpServer", { stream_id: "u_b" });
  }, 10_000);

  it("(d) does not move the timeout clock: an updated server that never got media goes at the same check as one never updated", async () => {
    const opened = Date.now();
    await call("openRtpServer", { port: 0, stream_id: "u_d", ssrc: A });
    await new Promise((r) => setTimeout(r, 1500));
    await call("updateRtpServerSSRC", { stream_id: "u_d", ssrc: B });
    const timeout = await hooks.waitFor((h) => h.name === "on_rtp_server_timeout" && h.body.stream_id === "u_d", 8000);
    // The first 3 s check past timeoutSec (2 s) from the open, not 2 s after the update.
    expect(timeout.at - opened).toBeGreaterThanOrEqual(2900);
    expect(timeout.at - opened).toBeLessThan(3600);
    expect(timeout.body.ssrc).toBe(A);
    expect(await call("updateRtpServerSSRC", { stream_id: "u_d", ssrc: A })).toEqual({ code: -500, msg: "RtpServer not found by stream_id" });
  }, 10_000);

  it("(e) tcp_mode=1: a TCP sender with the new SSRC is taken, one with the old SSRC is dropped", async () => {
    const oldPort = (await call("openRtpServer", { port: 0, stream_id: "u_e2", ssrc: A, tcp_mode: 1 })).port as number;
    const newPort = (await call("openRtpServer", { port: 0, stream_id: "u_e1", ssrc: A, tcp_mode: 1 })).port as number;
    await call("updateRtpServerSSRC", { stream_id: "u_e1", ssrc: B });
    await call("updateRtpServerSSRC", { stream_id: "u_e2", ssrc: B });
    const taken = camera(B);
    const dropped = camera(A);
    taken.start(newPort, { tcp: true });
    dropped.start(oldPort, { tcp: true });
    expect(await existWithin("u_e1", 1500)).toBe(true);
    expect((await call("getRtpInfo", { stream_id: "u_e2" })).exist).toBe(false);
    taken.stop();
    dropped.stop();
    await call("closeRtpServer", { stream_id: "u_e2" });
  }, 10_000);

  it("(h) on a live stream the update cuts its media off; garbage SSRCs switch the filter off", async () => {
    const port = (await call("openRtpServer", { port: 0, stream_id: "u_h", ssrc: A })).port as number;
    const cam = camera(A);
    cam.start(port);
    expect(await existWithin("u_h", 1500)).toBe(true);
    await call("updateRtpServerSSRC", { stream_id: "u_h", ssrc: B });
    const timeout = await hooks.waitFor((h) => h.name === "on_rtp_server_timeout" && h.body.stream_id === "u_h", 8000);
    expect(cam.isSending).toBe(true); // timed out while its camera still sent
    cam.stop();
    expect(timeout.body.ssrc).toBe(A);
    await call("openRtpServer", { port: 0, stream_id: "u_h2", ssrc: A });
    for (const [given, listed] of [["abc", 0], ["4294967296", 0], ["0x10", 0], ["-1", 4294967295]] as const) {
      expect(await call("updateRtpServerSSRC", { stream_id: "u_h2", ssrc: given })).toEqual({ code: 0 });
      expect(await listedSsrc("u_h2")).toBe(listed);
    }
    await call("closeRtpServer", { stream_id: "u_h2" });
  }, 12_000);
});
