import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmulator, type Emulator } from "../sim/emulator";
import { createZlmClient } from "../zlm/client";
import { openSqliteStore, type SqliteEventStore } from "../events/sqlite-store";
import { EventBus } from "../live/bus";
import { Pipeline } from "../events/pipeline.server";
import { NodePoller } from "../ingest/poller.server";
import { createHookReceiver } from "../ingest/hook-receiver";
import { createHookSink } from "../ingest/hook-sink";
import { startZlmListener, type ZlmListener } from "../ingest/zlm-listener.server";
import { NodeDirectory } from "../ingest/node-directory";
import { createTap } from "../tap/tap.server";
import { DEFAULT_SHIELD } from "../tap/race-shield";

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
}

export async function startEmulatorRig(opts: EmulatorRigOptions): Promise<EmulatorRig> {
  const secret = `${opts.name}-secret`;
  const token = `${opts.name}-token`;
  const mediaServerId = `zlm-${opts.name}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `portscope-${opts.name}-`));
  const store = openSqliteStore(path.join(dir, "e.db"));
  const pipeline = await Pipeline.open(store, new EventBus());
  const directory = new NodeDirectory();
  directory.add({ id: "zlm", mediaServerId, upstream: null });
  // The listener must exist before the emulator (its hook URL), the emulator before the tap has a URL.
  let emuUrl = "";
  const tap = createTap({
    nodeUrl: (id) => (id === "zlm" ? emuUrl : null),
    append: (evs) => pipeline.append(evs),
    lifecycle: pipeline.lifecycle,
    recentForStream: async () => [],
    buildTime: () => null,
    shieldFor: () => DEFAULT_SHIELD,
    clientFor: () => createZlmClient({ id: "zlm", url: emuUrl, secret }),
  });
  const receiver = createHookReceiver({ token, allowSources: null, resolveNode: (id) => directory.resolve(id), sink: createHookSink(pipeline) });
  const listener = await startZlmListener({ host: "127.0.0.1", port: 0, tap, receiver });
  const emu = await startEmulator({ secret, mediaServerId, hookUrl: `http://127.0.0.1:${listener.port}/api/hooks?token=${token}`, timeoutSec: opts.timeoutSec, portRange: opts.portRange, aliveIntervalSec: 3600, seed: opts.seed });
  emuUrl = emu.url;
  const poller = new NodePoller(createZlmClient({ id: "zlm", url: emu.url, secret }), pipeline);
  await poller.pollOnce();
  return {
    emu,
    listener,
    store,
    pipeline,
    poller,
    secret,
    tapUrl: `http://127.0.0.1:${listener.port}/zlm/zlm`,
    async stop() {
      await emu.stop();
      await listener.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
