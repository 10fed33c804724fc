import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "./emulator";
import { startSimulatedPlatform, type SimulatedPlatform, type StagedScenario } from "./platform";
import { STORY, storyTurns } from "./demo-story";
import { startHookRecorder, type HookRecorder } from "../testing/hook-recorder";
import { incidentsText } from "../i18n/locales/incidents";

describe("the story's acts", () => {
  it("each has a label in English and 简体中文 (the incident list says which act staged it)", () => {
    for (const lang of ["en", "zh"] as const) {
      const acts = incidentsText[lang].incidents.acts as Record<string, string>;
      expect(Object.keys(acts).sort(), lang).toEqual(STORY.map((a) => a.scenario).sort());
    }
  });
});

describe("storyTurns", () => {
  it("plays every act in order round-robin over the nodes, the once-acts only in the first round", () => {
    const turns = storyTurns(2);
    const first = STORY.map(() => turns.next().value!);
    expect(first.map((t) => t.act.scenario)).toEqual(STORY.map((a) => a.scenario));
    expect(first.map((t) => t.nodeIndex)).toEqual(STORY.map((_, i) => i % 2));
    const second = STORY.filter((a) => !a.once).map(() => turns.next().value!.act);
    expect(second.map((a) => a.scenario)).not.toContain("ghost-tcp");
    expect(second).toHaveLength(STORY.length - 1);
  });
});

/** A real emulator (timeoutSec 1, so a play takes seconds) driven by the story-mode platform. */
const SECRET = "story-secret";
let emu: Emulator;
let hooks: HookRecorder;
let platform: SimulatedPlatform;

beforeAll(async () => {
  hooks = await startHookRecorder(() => ({ body: '{"code":0,"msg":"success"}' }));
  emu = await startEmulator({ secret: SECRET, mediaServerId: "zlm-story", hookUrl: hooks.url, timeoutSec: 1, portRange: [26950, 27150], aliveIntervalSec: 600, seed: 5 });
  platform = startSimulatedPlatform({
    zlmUrl: emu.url,
    secret: SECRET,
    cameras: 3,
    timeoutSec: 1,
    seed: 7,
    mode: "story",
    faults: { loseTimeoutHook: (id, lost) => emu.setStreamKnobs(id, lost ? { loseTimeoutHook: true } : null) },
  });
});
afterAll(async () => {
  await platform?.stop();
  await emu?.stop();
  await hooks?.close();
});

const stage = (scenario: StagedScenario) =>
  new Promise<{ streamId: string; at: number }>((resolve) => platform.stage({ scenario, onStart: ({ streamId }) => resolve({ streamId, at: Date.now() }) }));
const until = async (cond: () => boolean, ms: number) => {
  for (const end = Date.now() + ms; Date.now() < end && !cond(); ) await new Promise((r) => setTimeout(r, 50));
  return cond();
};

describe("the story-mode platform", () => {
  it("plays only ordinary plays until a fault is staged", async () => {
    await new Promise((r) => setTimeout(r, 4000));
    expect(platform.stats().plays).toBeGreaterThanOrEqual(3);
    expect(platform.stats().openFailures).toEqual({});
  }, 10_000);

  it("stages a ghost receiver: a tcp_mode=1 open on a port whose TCP side is taken fails and leaves its UDP receiver", async () => {
    const ghostsBefore = emu.ghosts.length;
    const { streamId } = await stage("ghost-tcp");
    expect(await until(() => emu.ghosts.length === ghostsBefore + 1, 20_000)).toBe(true);
    expect(Object.keys(platform.stats().openFailures).join()).toMatch(/^-400 Listen on .* failed/);
    // The ghost posts timeouts for a key no server lists.
    await hooks.waitFor((h) => h.name === "on_rtp_server_timeout" && h.body.stream_id === streamId && Number(h.body.tcp_mode) === 1, 15_000);
  }, 40_000);

  it("stages a lost timeout hook: the server times out after its media and no on_rtp_server_timeout arrives", async () => {
    const { streamId } = await stage("lost-hook");
    const key = `__defaultVhost__/rtp/${streamId}`;
    expect(await until(() => emu.servers.has(key), 10_000)).toBe(true);
    expect(await until(() => !emu.servers.has(key), 30_000)).toBe(true);
    const goneAt = Date.now();
    await new Promise((r) => setTimeout(r, 1500));
    // (A ghost staged on the same channel keeps posting its own, tcp_mode 1.)
    const hooksOfIt = hooks.named("on_rtp_server_timeout").filter((h) => h.body.stream_id === streamId && Number(h.body.tcp_mode) === 0 && h.at >= goneAt - 500 && h.at <= goneAt + 1500);
    expect(hooksOfIt).toEqual([]);
    expect(hooks.named("on_stream_changed").some((h) => h.body.stream === streamId && h.body.regist === true)).toBe(true); // it had media
  }, 50_000);
});
