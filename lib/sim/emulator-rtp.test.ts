import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import dgram from "node:dgram";
import { startEmulator, type Emulator } from "./emulator";
import { SimulatedCamera } from "./camera";
import { startHookRecorder, type HookRecorder } from "../testing/hook-recorder";
import { zlmCall } from "../testing/zlm-call";

/** Real RTP over real UDP/TCP sockets into the emulator, real hooks out of it. */
const SECRET = "rtp-secret";
let emu: Emulator;
let hooks: HookRecorder;
const cameras: SimulatedCamera[] = [];

beforeAll(async () => {
  hooks = await startHookRecorder();
  emu = await startEmulator({
    secret: SECRET,
    mediaServerId: "zlm-test",
    hookUrl: hooks.url + "?token=t1",
    timeoutSec: 1,
    portRange: [26000, 26400],
    aliveIntervalSec: 600,
    seed: 1,
    knobs: { hlsDelayMs: 300 },
  });
});

afterEach(() => {
  for (const c of cameras.splice(0)) c.stop();
});

afterAll(async () => {
  await emu?.stop();
  await hooks?.close();
});

const call = (endpoint: string, q: Record<string, string | number> = {}) => zlmCall(emu.url, endpoint, { secret: SECRET, ...q });

function camera(id: string, ssrc: number): SimulatedCamera {
  const c = new SimulatedCamera({ id, ssrc, fps: 25 });
  cameras.push(c);
  return c;
}

async function until<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket("udp4");
    s.once("error", () => resolve(false));
    s.bind(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

describe("RTP receivers", () => {
  it("registers a stream from real RTP, then times out when it stops, and frees the port", async () => {
    const open = await call("openRtpServer", { port: 0, stream_id: "cam1", ssrc: 1111 });
    expect(open.json?.code).toBe(0);
    const port = open.json?.port as number;
    expect(port % 2).toBe(0);
    expect(port).toBeGreaterThanOrEqual(26000);

    const cam = camera("34020000001320000001", 1111);
    cam.start(port);
    const publish = await hooks.waitFor((h) => h.name === "on_publish" && h.body.stream === "cam1");
    expect(publish.query.get("token")).toBe("t1");
    expect(publish.body).toMatchObject({ app: "rtp", id: "cam1", ip: "127.0.0.1", originType: 3, protocol: "rtp", schema: "rtp", mediaServerId: "zlm-test" });

    const info = await until(async () => {
      const a = await call("getRtpInfo", { stream_id: "cam1" });
      return a.json?.exist === true ? a.json : null;
    });
    expect(info).toMatchObject({ identifier: "cam1", local_port: port, peer_ip: "127.0.0.1" });
    await hooks.waitFor((h) => h.name === "on_stream_changed" && h.body.regist === true && h.body.schema === "hls" && h.body.stream === "cam1");
    const media = await call("getMediaList", { app: "rtp", stream: "cam1" });
    expect((media.json?.data as unknown[]).length).toBe(5);

    cam.stop();
    const stoppedAt = Date.now();
    const timeout = await hooks.waitFor((h) => h.name === "on_rtp_server_timeout" && h.body.stream_id === "cam1", 6000);
    expect(timeout.at - stoppedAt).toBeLessThanOrEqual(1000 + 3000 + 250);
    expect(timeout.body).toMatchObject({ local_port: port, ssrc: 1111, tcp_mode: 0, re_use_port: false, vhost: "__defaultVhost__", app: "rtp" });
    expect((await call("listRtpServer")).json).toEqual({ code: 0 });
    await hooks.waitFor((h) => h.name === "on_stream_changed" && h.body.regist === false && h.body.schema === "fmp4" && h.body.stream === "cam1");
    const unregs = hooks.named("on_stream_changed").filter((h) => h.body.stream === "cam1" && h.body.regist === false);
    expect(unregs.every((h) => (h.body.hook_index as number) > (timeout.body.hook_index as number))).toBe(true);
    expect(await portIsFree(port)).toBe(true);
  });

  it("reports bytesSpeed as the bytes received over the last second, like ZLM's BytesSpeed", async () => {
    const open = await call("openRtpServer", { port: 0, stream_id: "cam_speed" });
    const cam = camera("34020000001320000009", 9999);
    cam.start(open.json?.port as number);
    const row = await until(async () => {
      const media = await call("getMediaList", { app: "rtp", stream: "cam_speed" });
      const rows = (media.json?.data as { bytesSpeed: number; aliveSecond: number }[] | undefined) ?? [];
      return rows.length > 0 && rows[0].aliveSecond >= 1 ? rows[0] : null;
    }, 6000);
    const sentBefore = cam.bytesSent;
    await new Promise((r) => setTimeout(r, 1000));
    const media = await call("getMediaList", { app: "rtp", stream: "cam_speed", schema: "rtsp" });
    const sentLastSecond = cam.bytesSent - sentBefore;
    const speed = (media.json?.data as { bytesSpeed: number }[])[0].bytesSpeed;
    expect(Number.isInteger(row.bytesSpeed)).toBe(true);
    expect(speed).toBeGreaterThan(0);
    // A one-second window: about what the camera sent in the last second, never the running total.
    expect(speed).toBeGreaterThan(sentLastSecond * 0.5);
    expect(speed).toBeLessThan(sentLastSecond * 1.5);
    expect(speed).toBeLessThan(cam.bytesSent);
    await call("closeRtpServer", { stream_id: "cam_speed" });
  });

  it("drops packets whose SSRC does not match the filter, so the stream never registers", async () => {
    const open = await call("openRtpServer", { port: 0, stream_id: "cam_ssrc", ssrc: 2222 });
    const cam = camera("34020000001320000002", 3333);
    cam.start(open.json?.port as number);
    await new Promise((r) => setTimeout(r, 800));
    expect(cam.packetsSent).toBeGreaterThan(5);
    expect((await call("getRtpInfo", { stream_id: "cam_ssrc" })).json?.exist).toBe(false);
    expect(hooks.named("on_publish").some((h) => h.body.stream === "cam_ssrc")).toBe(false);
    expect((await call("openRtpServer", { port: 0, stream_id: "cam_ssrc" })).text).toBe('{\n\t"code" : -300,\n\t"msg" : "This stream already exists"\n}\n');
    await call("closeRtpServer", { stream_id: "cam_ssrc" });
  });

  it("tcp_mode=1: a TCP sender that disconnects takes the server with it, without a timeout hook", async () => {
    const open = await call("openRtpServer", { port: 0, stream_id: "cam_tcp", tcp_mode: 1 });
    const cam = camera("34020000001320000003", 4444);
    cam.start(open.json?.port as number, { tcp: true });
    await until(async () => (await call("getRtpInfo", { stream_id: "cam_tcp" })).json?.exist === true);
    cam.stop();
    await until(async () => (await call("listRtpServer")).json?.data === undefined || !JSON.stringify((await call("listRtpServer")).json).includes("cam_tcp"));
    await hooks.waitFor((h) => h.name === "on_stream_changed" && h.body.regist === false && h.body.stream === "cam_tcp");
    await new Promise((r) => setTimeout(r, 300));
    expect(hooks.named("on_rtp_server_timeout").some((h) => h.body.stream_id === "cam_tcp")).toBe(false);
    expect((await call("openRtpServer", { port: 0, stream_id: "cam_tcp" })).json?.code).toBe(0);
    await call("closeRtpServer", { stream_id: "cam_tcp" });
  });

  it("close_streams on a live RTP stream answers -400 getOwnerPoller yet closes stream and server", async () => {
    const open = await call("openRtpServer", { port: 0, stream_id: "race_cs" });
    const cam = camera("34020000001320000004", 5555);
    cam.start(open.json?.port as number);
    await until(async () => (await call("getRtpInfo", { stream_id: "race_cs" })).json?.exist === true);
    const answer = await call("close_streams", { app: "rtp", stream: "race_cs", force: 1 });
    expect(answer.json).toEqual({ code: -400, msg: "mediakit::RtspMediaSource::getOwnerPoller failed: rtsp://__defaultVhost__/rtp/race_cs" });
    expect(JSON.stringify((await call("listRtpServer")).json)).not.toContain("race_cs");
    expect((await call("openRtpServer", { port: 0, stream_id: "race_cs" })).json?.code).toBe(0);
    // Closed before its first HLS segment: the stray hls regist=true with originType 0 (observed).
    const stray = await hooks.waitFor((h) => h.name === "on_stream_changed" && h.body.stream === "race_cs" && h.body.schema === "hls" && h.body.regist === true);
    expect(stray.body).toMatchObject({ originType: 0, originSock: null, tracks: [] });
    await call("closeRtpServer", { stream_id: "race_cs" });
  });

  it("a failed tcp_mode=1 open leaves a ghost receiver that posts timeout hooks every 3 s but is never listed", async () => {
    const busyTcp = emu.httpPort; // the emulator's own HTTP port, like 8080 in the recording
    const answer = await call("openRtpServer", { port: busyTcp, tcp_mode: 1, stream_id: "t_badport" });
    expect(answer.text).toBe(`{\n\t"code" : -400,\n\t"msg" : "Listen on 127.0.0.1 ${busyTcp} failed: address already in use"\n}\n`);
    const first = await hooks.waitFor((h) => h.name === "on_rtp_server_timeout" && h.body.stream_id === "t_badport", 4000);
    const second = await hooks.waitFor((h) => h.name === "on_rtp_server_timeout" && h.body.stream_id === "t_badport" && h !== first, 4000);
    expect(second.at - first.at).toBeGreaterThan(2800);
    expect(second.at - first.at).toBeLessThan(3300);
    expect(first.body).toMatchObject({ local_port: busyTcp, tcp_mode: 1 });
    expect(JSON.stringify((await call("listRtpServer")).json)).not.toContain("t_badport");
    expect((await call("closeRtpServer", { stream_id: "t_badport" })).json).toEqual({ code: 0, hit: 0 });
  }, 15_000);
});
