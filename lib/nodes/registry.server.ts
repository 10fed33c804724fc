import "server-only";
import { randomBytes } from "node:crypto";
import { getConfig } from "../config/index.server";
import { startEmulator, type Emulator } from "../sim/emulator";
import { startSimulatedPlatform, type SimulatedPlatform } from "../sim/platform";
import { startDemoStory, type StagedCause } from "../sim/demo-story";
import type { ConfiguredNode } from "./types";

const DEMO_KEY = Symbol.for("portscope.demoEmulators");
type Holder = { [DEMO_KEY]?: Promise<Emulator[]> };

export const DEMO_NODE_ID = "demo";

/** Demo node n (0-based): "demo", "demo-2", …; each gets its own slice of the demo port range. */
export function demoNodeId(n: number): string {
  return n === 0 ? DEMO_NODE_ID : `${DEMO_NODE_ID}-${n + 1}`;
}

export function demoPortSlice(range: [number, number], n: number, count: number): [number, number] {
  const width = Math.floor((range[1] - range[0] + 1) / count);
  return [range[0] + n * width, range[0] + (n + 1) * width - 1];
}

/**
 * The nodes this process watches. In demo mode the emulators are started
 * here, once per process (Next evaluates modules twice, hence globalThis), on
 * 127.0.0.1 with random secrets, and post their hooks to `demoHookUrl`.
 */
export async function getNodes(opts: { demoHookUrl?: string | null } = {}): Promise<ConfiguredNode[]> {
  const config = getConfig();
  if (config.nodes.mode !== "demo") {
    return config.nodes.nodes.map((n) => ({
      id: n.id,
      label: n.label ?? n.id,
      url: n.url.replace(/\/+$/, ""),
      secret: n.secret,
      mode: "zlm" as const,
      mediaServerId: n.mediaServerId ?? null,
      upstreamHooks: n.upstreamHooks ?? null,
      tapPort: n.tapPort ?? null,
      raceShield: n.raceShield ?? null,
    }));
  }
  const demo = config.nodes;
  const g = globalThis as Holder;
  g[DEMO_KEY] ??= Promise.all(
    Array.from({ length: demo.nodes }, (_, n) =>
      startEmulator({
        host: "127.0.0.1",
        httpPort: 0,
        secret: randomBytes(16).toString("hex"),
        mediaServerId: n === 0 ? "portscope-demo" : `portscope-demo-${n + 1}`,
        hookUrl: opts.demoHookUrl ?? null,
        timeoutSec: demo.timeoutSec,
        portRange: demoPortSlice(demo.portRange, n, demo.nodes),
        aliveIntervalSec: 10,
        cameras: 0, // startDemoTraffic drives them, once the tap can take the platform's calls
      }),
    ),
  );
  const emulators = await g[DEMO_KEY];
  return emulators.map((emu, n) => ({
    id: demoNodeId(n),
    label: n === 0 ? "Demo ZLM (emulator)" : `Demo ZLM ${n + 1} (emulator)`,
    url: emu.url,
    secret: emu.options.secret,
    mode: "demo" as const,
    mediaServerId: emu.mediaServerId,
    upstreamHooks: null,
    tapPort: null,
    raceShield: null,
  }));
}

const TRAFFIC_KEY = Symbol.for("portscope.demoTraffic");
type TrafficHolder = { [TRAFFIC_KEY]?: true };

export interface DemoTrafficOptions {
  /** Where node n's platform sends its API calls: Portscope's tap for it, so its failing opens are recorded; null = the emulator itself. */
  apiUrlFor(nodeId: string, emulatorUrl: string): string;
  onStaged(nodeId: string, cause: StagedCause): void;
}

/**
 * Starts the demo's simulated platforms (one per emulator) and, in story
 * mode, the director that stages a fault now and then. Once per process.
 */
export async function startDemoTraffic(opts: DemoTrafficOptions): Promise<void> {
  const config = getConfig();
  const g = globalThis as Holder & TrafficHolder;
  if (config.nodes.mode !== "demo" || !g[DEMO_KEY] || g[TRAFFIC_KEY]) return;
  g[TRAFFIC_KEY] = true;
  const demo = config.nodes;
  if (demo.cameras === 0) return;
  const emulators = await g[DEMO_KEY];
  const platforms: SimulatedPlatform[] = emulators.map((emu, n) => {
    const platform = startSimulatedPlatform({
      zlmUrl: opts.apiUrlFor(demoNodeId(n), emu.url),
      secret: emu.options.secret,
      cameras: demo.cameras,
      timeoutSec: demo.timeoutSec,
      rtpHost: emu.host,
      mode: demo.scenario,
      faults: { loseTimeoutHook: (streamId, lost) => emu.setStreamKnobs(streamId, lost ? { ...emu.streamKnobs(streamId), loseTimeoutHook: true } : null) },
    });
    emu.onStop(() => platform.stop());
    return platform;
  });
  if (demo.scenario !== "story") return;
  const stop = startDemoStory({
    platforms,
    everyMs: demo.stageEverySec * 1000 * (demo.timeoutSec / 15),
    onStaged: (cause) => opts.onStaged(demoNodeId(cause.nodeIndex), cause),
  });
  emulators[0]?.onStop(stop);
}
