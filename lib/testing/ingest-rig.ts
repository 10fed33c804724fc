import fs from "node:fs";
import os from "node:os";
import path from "node:path";
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
import { DEFAULT_SHIELD, type ShieldConfig } from "../tap/race-shield";

/**
 * Portscope's ingest chain for node "zlm" in one process, without the built
 * app: the lean listener (hooks, and the tap at /zlm/zlm) and a real SQLite
 * log, in front of any ZLM, the emulator or a real build. The ZLM's URL is
 * given once it is known (the emulator needs the listener's hook URL first).
 */
export interface IngestRig {
  listener: ZlmListener;
  store: SqliteEventStore;
  pipeline: Pipeline;
  /** The hook base URL to give ZLM (`<base>/<hook name>` also works: the listener takes both). */
  hookUrl: string;
  /** The tap's base URL for node "zlm" (`<tapUrl>/index/api/<endpoint>`). */
  tapUrl: string;
  /** Points the tap and a poller at the ZLM; the poller runs when `pollMs` is given, else polls once. */
  attach(zlmUrl: string, opts?: { pollMs?: number }): Promise<NodePoller>;
  stop(): Promise<void>;
}

export interface IngestRigOptions {
  /** Names the temp folder, the hook token and (unless given) the mediaServerId. */
  name: string;
  secret: string;
  mediaServerId?: string;
  shield?: ShieldConfig;
  /** 0 = any free port. */
  listenerPort?: number;
}

export async function startIngestRig(opts: IngestRigOptions): Promise<IngestRig> {
  const token = `${opts.name}-token`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `portscope-${opts.name}-`));
  const store = openSqliteStore(path.join(dir, "e.db"));
  const pipeline = await Pipeline.open(store, new EventBus());
  const directory = new NodeDirectory();
  directory.add({ id: "zlm", mediaServerId: opts.mediaServerId ?? `zlm-${opts.name}`, upstream: null });
  let zlmUrl = "";
  const client = () => createZlmClient({ id: "zlm", url: zlmUrl, secret: opts.secret });
  const tap = createTap({
    nodeUrl: (id) => (id === "zlm" && zlmUrl ? zlmUrl : null),
    append: (evs) => pipeline.append(evs),
    lifecycle: pipeline.lifecycle,
    recentForStream: async () => [],
    buildTime: () => null,
    shieldFor: () => opts.shield ?? DEFAULT_SHIELD,
    clientFor: () => (zlmUrl ? client() : null),
  });
  const receiver = createHookReceiver({ token, allowSources: null, resolveNode: (id) => directory.resolve(id), sink: createHookSink(pipeline) });
  const listener = await startZlmListener({ host: "127.0.0.1", port: opts.listenerPort ?? 0, tap, receiver });
  let poller: NodePoller | null = null;
  return {
    listener,
    store,
    pipeline,
    hookUrl: `http://127.0.0.1:${listener.port}/api/hooks?token=${token}`,
    tapUrl: `http://127.0.0.1:${listener.port}/zlm/zlm`,
    async attach(url, o = {}) {
      zlmUrl = url;
      poller = new NodePoller(client(), pipeline, o.pollMs ? { intervalMs: o.pollMs, fastIntervalMs: o.pollMs, maxBackoffMs: 10_000, jitter: 0 } : undefined);
      await poller.pollOnce();
      if (o.pollMs) poller.start();
      return poller;
    },
    async stop() {
      poller?.stop();
      await listener.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
