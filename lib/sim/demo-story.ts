import type { SimulatedPlatform, StagedScenario } from "./platform";

/**
 * The default demo's story: healthy cameras, and every so often one fault
 * staged on purpose, each announced (a `demo.staged` event) so its incident
 * says it was staged. A stakeholder sees a calm wall with a few explained
 * incidents; `PORTSCOPE_DEMO_SCENARIO=flood` keeps the old constant failures.
 */

/** The incident kind a staged fault raises (lib/lifecycle's AnomalyType names). */
export type StagedKind = "exists_but_absent" | "repeated_timeouts" | "vanished_without_hook" | "ghost_receiver";

export interface StoryAct {
  scenario: StagedScenario;
  kind: StagedKind;
  label: string;
  /** Staged once per run: its incident lasts until ZLM restarts (a ghost), so once is enough to show it. */
  once?: boolean;
}

/**
 * One act per incident kind the emulator can cause through ZLM's API, and one
 * per "already exists" cause. Not staged: waiting_past_timeout (ZLM itself
 * would have to fail its timeout), port_pool_high (needs 80 % of the pool
 * held), media_without_server (needs ZLM's single-port receiver, which the
 * emulator does not open); their detectors are unit-tested instead.
 */
export const STORY: readonly StoryAct[] = [
  { scenario: "fast-retry", kind: "exists_but_absent", label: "platform re-opens while ZLM still waits for media (cause a)" },
  { scenario: "no-answer-loop", kind: "repeated_timeouts", label: "camera never answers the INVITE, the platform keeps reopening" },
  { scenario: "lost-hook", kind: "vanished_without_hook", label: "on_rtp_server_timeout lost on the network" },
  { scenario: "concurrent-open", kind: "exists_but_absent", label: "two users open the same channel at once (cause c)" },
  { scenario: "ghost-tcp", kind: "ghost_receiver", label: "tcp_mode=1 open on a port whose TCP side is taken (ghost receiver)", once: true },
  { scenario: "restart-parallel", kind: "exists_but_absent", label: "restart sends close and open in parallel (cause b)" },
  { scenario: "wrong-app-close", kind: "exists_but_absent", label: "BYE closes app=live, the rtp server stays (cause d)" },
];

/** What the runtime records when an act starts (payload of a `demo.staged` event). */
export interface StagedCause {
  nodeIndex: number;
  /** The act's scenario name (its translation key). */
  act: StagedScenario;
  streamId: string;
  kind: StagedKind;
  label: string;
  /** Epoch ms until which an incident of this kind and key counts as staged. */
  until: number;
}

/** The acts in order, round-robin over the nodes, `once` acts only on their first turn. */
export function* storyTurns(nodes: number): Generator<{ act: StoryAct; nodeIndex: number }> {
  let turn = 0;
  for (let round = 0; ; round++) {
    const acts = STORY.filter((a) => round === 0 || !a.once);
    for (const act of acts) yield { act, nodeIndex: turn++ % Math.max(1, nodes) };
  }
}

export interface DemoStoryOptions {
  platforms: SimulatedPlatform[];
  everyMs: number;
  onStaged(cause: StagedCause): void;
  now?: () => number;
}

/** Stages the next act every `everyMs` (the first after half of it); returns a stop function. */
export function startDemoStory(opts: DemoStoryOptions): () => void {
  if (opts.everyMs <= 0 || opts.platforms.length === 0) return () => {};
  const now = opts.now ?? Date.now;
  const turns = storyTurns(opts.platforms.length);
  const stageNext = () => {
    const { act, nodeIndex } = turns.next().value as { act: StoryAct; nodeIndex: number };
    opts.platforms[nodeIndex].stage({
      scenario: act.scenario,
      onStart: ({ streamId, windowMs }) => opts.onStaged({ nodeIndex, act: act.scenario, streamId, kind: act.kind, label: act.label, until: now() + windowMs }),
    });
  };
  let timer: NodeJS.Timeout | null = setTimeout(function tick() {
    stageNext();
    timer = setTimeout(tick, opts.everyMs);
    timer.unref?.();
  }, opts.everyMs / 2);
  timer.unref?.();
  return () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
}
