import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEmulatorRig, type EmulatorRig } from "../testing/emulator-rig";
import { zlmCall } from "../testing/zlm-call";
import { WvpPlatform, type PlayResult, type WvpPlatformOptions } from "../sim/wvp-platform";

/**
 * One test per way a wvp-like platform meets "already exists" (issue 11), through the tap with the
 * recommended shield (`absorb`), on the emulator's real sockets: the shield's decision, and that
 * the caller then receives its own camera's media (its SSRC, from its camera's socket).
 */
let rig: EmulatorRig;
const platforms: WvpPlatform[] = [];

beforeAll(async () => {
  rig = await startEmulatorRig({ name: "wvp-patterns", timeoutSec: 5, portRange: [37500, 37700], seed: 4, shield: { policy: "absorb", deadlineMs: 5000, idleMs: 5000 } });
});

afterEach(async () => {
  for (const p of platforms.splice(0)) await p.stop();
  rig.emu.setKnobs({ closeLatencyMs: 0 });
  const listed = ((await direct("listRtpServer")).data as { stream_id: string }[] | undefined) ?? [];
  for (const s of listed) await direct("closeRtpServer", { stream_id: s.stream_id });
});

afterAll(async () => {
  await rig.stop();
});

const direct = async (endpoint: string, q: Record<string, string | number> = {}) => (await zlmCall(rig.emu.url, endpoint, { secret: rig.secret, ...q })).json ?? {};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function platform(opts: Partial<WvpPlatformOptions> = {}): WvpPlatform {
  const p = new WvpPlatform({ zlmUrl: rig.tapUrl, secret: rig.secret, channels: 8, seed: 11, autoplay: false, playTimeoutMs: 4000, ...opts });
  p.start();
  platforms.push(p);
  return p;
}

async function decisions(streamId: string): Promise<string[]> {
  await sleep(100);
  return (await rig.store.query({ key: `__defaultVhost__/rtp/${streamId}`, kinds: ["shield.decision"] })).map((e) => String(e.payload.decision));
}

/** ZLM takes this play's media: its SSRC is the filter and its camera's socket the latched sender. */
async function expectOwnMedia(p: WvpPlatform, play: PlayResult): Promise<void> {
  expect(play.outcome).toBe("media");
  const camera = p.cameraOf(play.channel);
  expect(camera?.ssrc).toBe(play.ssrc);
  const listed = ((await direct("listRtpServer")).data as { stream_id: string; ssrc: number; port: number }[]).find((s) => s.stream_id === play.streamId);
  expect(listed).toMatchObject({ ssrc: play.ssrc, port: play.port });
  const info = await direct("getRtpInfo", { stream_id: play.streamId });
  expect(info).toMatchObject({ exist: true, local_port: play.port, peer_port: camera?.localPort });
}

describe("the absorb shield and a wvp-like platform", () => {
  it("new SSRC per play: the repeat of a play whose camera never answered adopts the waiting server and moves it to its SSRC", async () => {
    const p = platform();
    const first = p.play(0, { answerInMs: null, afterTimeout: "none" });
    await sleep(800);
    const again = await p.play(0, { answerInMs: 300 });
    const firstPlay = await first;
    expect(again.ssrc).not.toBe(firstPlay.ssrc);
    expect(await decisions(again.streamId)).toEqual([`adopted the waiting holder, SSRC ${firstPlay.ssrc} -> ${again.ssrc}`]);
    expect(again.port).toBe(firstPlay.port);
    await expectOwnMedia(p, again);
    expect(firstPlay.outcome).toBe("media"); // the same channel's stream: the first viewer sees it too
    expect(p.stats()).toMatchObject({ alreadyExists: 0, playTimeouts: 0 });
  }, 15_000);

  it("double click: the second play, while the first camera is still to answer, gets the same server; the camera's newest session is the one ZLM takes", async () => {
    const p = platform();
    const first = p.play(1, { answerInMs: 1500 });
    await sleep(500);
    const second = await p.play(1, { answerInMs: 200 }); // the camera answers INVITEs in order: after the first
    expect((await decisions(second.streamId))[0]).toMatch(/^adopted the waiting holder, SSRC \d+ -> \d+$/);
    await expectOwnMedia(p, second);
    expect((await first).outcome).toBe("media");
    expect(p.stats().alreadyExists).toBe(0);
  }, 15_000);

  it("the platform's own timer: close and reopen sent together are a sequence; the shield waits for the close, then opens", async () => {
    rig.emu.setKnobs({ closeLatencyMs: 300 }); // a loaded ZLM: the reopen overtakes the close
    const p = platform({ playTimeoutMs: 2500 });
    const timedOut = await p.play(2, { answerInMs: null, afterTimeout: "parallel", retry: { answerInMs: 300 } });
    expect(timedOut.outcome).toBe("timeout");
    const reopened = timedOut.retried!;
    expect(await decisions(reopened.streamId)).toEqual(["a close of this key is on its way: waited for it, then opened (a sequence, not a race)"]);
    await expectOwnMedia(p, reopened);
    expect(p.stats().alreadyExists).toBe(0);
  }, 15_000);

  it("SSRC pool reuse: the pool hands a waiting server's SSRC out again; on a channel-named key it is adopted as is, on an SSRC-named key it is left to its play", async () => {
    const p = platform();
    const waiting = p.play(3, { ssrc: 200001234, answerInMs: null, afterTimeout: "none" });
    await sleep(500);
    const reused = await p.play(3, { ssrc: 200001234, answerInMs: 300 });
    expect(await decisions(reused.streamId)).toEqual(["adopted the waiting holder (same SSRC)"]);
    await expectOwnMedia(p, reused);
    await waiting;

    // wvp master names the stream after the SSRC: another channel drawing it would share a port with another camera.
    const s = platform({ streamIds: "ssrc" });
    const other = s.play(4, { ssrc: 200004321, answerInMs: null, afterTimeout: "none" });
    await sleep(500);
    const clash = await s.play(5, { ssrc: 200004321, answerInMs: 300 });
    expect(clash).toMatchObject({ outcome: "open-failed", failure: "-300 This stream already exists" });
    expect(await decisions(clash.streamId)).toEqual(["kept: the key is named after an SSRC that another waiting play holds"]);
    const next = await s.play(5, { answerInMs: 300 }); // the user plays again: a new SSRC, a new key
    await expectOwnMedia(s, next);
    await other;
  }, 20_000);

  it("late camera: a waiting server ZLM drops before the caller's late camera could answer is replaced by a fresh one", async () => {
    const p = platform({ playTimeoutMs: 10_000 });
    const first = p.play(6, { answerInMs: null, afterTimeout: "none" });
    await sleep(3200); // timeoutSec 5: ZLM drops the never-fed holder at its 6 s check, 2.8 s from now
    const late = await p.play(6, { answerInMs: 2500 });
    const [decision] = await decisions(late.streamId);
    expect(decision).toMatch(/^replaced the waiting holder: ZLM drops it in \d+ ms, less than 3500 ms$/);
    const closed = (await rig.store.query({ key: `__defaultVhost__/rtp/${late.streamId}`, kinds: ["shield.decision"] }))[0].payload.closed;
    expect(closed).toEqual([{ port: (await first).port ?? expect.any(Number), hasMedia: false }]);
    await expectOwnMedia(p, late);
  }, 25_000);

  it("silent camera: both plays of an offline camera time out on the platform's timer; the play after it gets its camera's media", async () => {
    const p = platform({ playTimeoutMs: 3000 });
    const first = p.play(7, { answerInMs: null, afterTimeout: "none" });
    await sleep(500);
    const second = await p.play(7, { answerInMs: null, afterTimeout: "sequence", retry: { answerInMs: 300 } });
    expect((await decisions(second.streamId))[0]).toMatch(/^adopted the waiting holder, SSRC \d+ -> \d+$/);
    expect([(await first).outcome, second.outcome]).toEqual(["timeout", "timeout"]);
    await expectOwnMedia(p, second.retried!);
    expect(p.stats()).toMatchObject({ alreadyExists: 0, playTimeouts: 2 });
  }, 20_000);
});
