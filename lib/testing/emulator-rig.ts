import { startEmulator, type Emulator } from "../sim/emulator";
import type { SqliteEventStore } from "../events/sqlite-store";
import type { Pipeline } from "../events/pipeline.server";
import type { NodePoller } from "../ingest/poller.server";
import type { ZlmListener } from "../ingest/zlm-listener.server";
import type { ShieldConfig } from "../tap/race-shield";
import { startIngestRig } from "./ingest-rig";

/**
 * The whole ingest chain in one process, for tests that need real parts but
 * not the built app: the emulator (real sockets, real hook POSTs) -> the lean
 * listener (hooks and the tap at /zlm/zlm) and a poller -> a real SQLite log.
 */
export interface EmulatorRig {
  emu: Emulator;
  listener: ZlmListener;
  store: SqliteEventStore;
  pipeline: Pipeline;
  poller: NodePoller;
  secret: string;
  /** The tap's base URL for node "zlm" (`<tapUrl>/index/api/<endpoint>`). */
  tapUrl: string;
  stop(): Promise<void>;
}

export interface EmulatorRigOptions {
  /** Names the temp folder, the secret, the hook token and the emulator's mediaServerId. */
  name: string;
  timeoutSec: number;
  portRange: [number, number];
  seed: number;
  /** The tap's race shield (off by default). */
  shield?: ShieldConfig;
  /** Poll the emulator every so many ms (default: once, at start). */
  pollMs?: number;
}

export async function startEmulatorRig(opts: EmulatorRigOptions): Promise<EmulatorRig> {
  const secret = `${opts.name}-secret`;
  const mediaServerId = `zlm-${opts.name}`;
  const rig = await startIngestRig({ name: opts.name, secret, mediaServerId, shield: opts.shield });
  // The listener must exist before the emulator (its hook URL), the emulator before the tap has a URL.
  const emu = await startEmulator({ secret, mediaServerId, hookUrl: rig.hookUrl, timeoutSec: opts.timeoutSec, portRange: opts.portRange, aliveIntervalSec: 3600, seed: opts.seed });
  const poller = await rig.attach(emu.url, { pollMs: opts.pollMs });
  return {
    emu,
    listener: rig.listener,
    store: rig.store,
    pipeline: rig.pipeline,
    poller,
    secret,
    tapUrl: rig.tapUrl,
    async stop() {
      await emu.stop();
      await rig.stop();
    },
  };
}
