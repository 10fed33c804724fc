import "server-only";
import { randomBytes } from "node:crypto";
import { getConfig } from "../config/index.server";
import { startEmulator, type Emulator } from "../sim/emulator";
import type { ConfiguredNode } from "./types";

const DEMO_KEY = Symbol.for("portscope.demoEmulator");
type Holder = { [DEMO_KEY]?: Promise<Emulator> };

export const DEMO_NODE_ID = "demo";

/**
 * The nodes this process watches. In demo mode the emulator is started here,
 * once per process (Next evaluates modules twice, hence globalThis), on
 * 127.0.0.1 with a random secret, and posts its hooks to `demoHookUrl`.
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
      raceShield: n.raceShield ?? null,
    }));
  }
  const demo = config.nodes;
  const g = globalThis as Holder;
  g[DEMO_KEY] ??= startEmulator({
    host: "127.0.0.1",
    httpPort: 0,
    secret: randomBytes(16).toString("hex"),
    mediaServerId: "portscope-demo",
    hookUrl: opts.demoHookUrl ?? null,
    timeoutSec: demo.timeoutSec,
    portRange: [30000, 35000],
    aliveIntervalSec: 10,
    cameras: demo.cameras,
  });
  const emu = await g[DEMO_KEY];
  return [{ id: DEMO_NODE_ID, label: "Demo ZLM (emulator)", url: emu.url, secret: emu.options.secret, mode: "demo", mediaServerId: emu.mediaServerId, upstreamHooks: null, raceShield: null }];
}
