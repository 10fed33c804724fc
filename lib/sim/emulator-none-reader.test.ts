import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "./emulator";
import { SimulatedCamera } from "./camera";
import { startHookRecorder, type HookRecorder } from "../testing/hook-recorder";
import { zlmCall } from "../testing/zlm-call";

/**
 * on_stream_none_reader as a real fdaec26 build sent it for an unwatched RTP stream: once,
 * streamNoneReaderDelayMS after the hls registration, naming hls; `close:true` in the reply
 * closes the stream and its RtpServer, anything else keeps it (docs/real-zlm-check.md).
 */
const SECRET = "nr-secret";
let emu: Emulator;
let hooks: HookRecorder;
const cameras: SimulatedCamera[] = [];

beforeAll(async () => {
  hooks = await startHookRecorder((h) => ({ body: h.name === "on_stream_none_reader" && h.body.stream === "nr_close" ? '{"code":0,"close":true}' : '{"code":0,"msg":"success"}' }));
  emu = await startEmulator({ secret: SECRET, mediaServerId: "zlm-nr", hookUrl: hooks.url, timeoutSec: 30, portRange: [27400, 27500], aliveIntervalSec: 600, seed: 4, knobs: { hlsDelayMs: 200 } });
  await zlmCall(emu.url, "setServerConfig", { secret: SECRET, "general.streamNoneReaderDelayMS": 600 });
});

afterAll(async () => {
  for (const c of cameras) c.stop();
  await emu?.stop();
  await hooks?.close();
});

async function live(streamId: string, ssrc: number): Promise<number> {
  const open = await zlmCall(emu.url, "openRtpServer", { secret: SECRET, port: 0, tcp_mode: 0, stream_id: streamId });
  const cam = new SimulatedCamera({ id: "34020000001320000050", ssrc, fps: 25 });
  cameras.push(cam);
  cam.start(Number(open.json?.port));
  return Number(open.json?.port);
}

describe("on_stream_none_reader", () => {
  it("comes once, after the hls registration, with exactly ZLM's fields; a plain success keeps the stream", async () => {
    await live("nr_keep", 61);
    const hls = await hooks.waitFor((h) => h.name === "on_stream_changed" && h.body.stream === "nr_keep" && h.body.schema === "hls" && h.body.regist === true);
    const hook = await hooks.waitFor((h) => h.name === "on_stream_none_reader" && h.body.stream === "nr_keep");
    expect(hook.at - hls.at).toBeGreaterThanOrEqual(550);
    expect(Object.keys(hook.body).sort()).toEqual(["app", "hook_index", "mediaServerId", "params", "schema", "stream", "vhost"]);
    expect(hook.body).toMatchObject({ app: "rtp", mediaServerId: "zlm-nr", params: "", schema: "hls", stream: "nr_keep", vhost: "__defaultVhost__" });
    expect(hook.headers["x-vhost"]).toBe("__defaultVhost__");
    await new Promise((r) => setTimeout(r, 900));
    expect(hooks.hooks.filter((h) => h.name === "on_stream_none_reader" && h.body.stream === "nr_keep")).toHaveLength(1);
    const info = await zlmCall(emu.url, "getRtpInfo", { secret: SECRET, stream_id: "nr_keep" });
    expect(info.json).toMatchObject({ exist: true });
  });

  it("close:true in the reply closes the stream and its RtpServer", async () => {
    await live("nr_close", 62);
    await hooks.waitFor((h) => h.name === "on_stream_none_reader" && h.body.stream === "nr_close");
    await hooks.waitFor((h) => h.name === "on_stream_changed" && h.body.stream === "nr_close" && h.body.regist === false);
    const list = await zlmCall(emu.url, "listRtpServer", { secret: SECRET });
    const ids = ((list.json?.data as { stream_id: string }[] | undefined) ?? []).map((r) => r.stream_id);
    expect(ids).not.toContain("nr_close");
    expect(ids).toContain("nr_keep");
  });
});
