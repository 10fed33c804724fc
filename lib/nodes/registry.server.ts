import "server-only";
import { randomBytes } from "node:crypto";
import { getConfig } from "../config/index.server";
import { startEmulator, type Emulator } from "../sim/emulator";
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
        cameras: demo.cameras,
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
