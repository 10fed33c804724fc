import "server-only";
import fs from "node:fs";
import path from "node:path";
import { getConfig } from "../config/index.server";
import { getNodes } from "../nodes/registry.server";
import type { ConfiguredNode } from "../nodes/types";
import { openSqliteStore } from "../events/sqlite-store";
import { EventBus } from "../live/bus";
import { startRetention } from "../events/retention";
import { createZlmClient } from "../zlm/client";
import { Pipeline } from "../events/pipeline.server";
import { NodePoller } from "../ingest/poller.server";
import { createHookReceiver, type HookReceiver } from "../ingest/hook-receiver";
import { createHookSink } from "../ingest/hook-sink";
import { startNodeTapListener, startZlmListener, type ZlmListener } from "../ingest/zlm-listener.server";
import { ConfigError } from "../config/env";
import { createDiagnoser } from "../diagnosis/diagnoser";
import { NodeDirectory } from "../ingest/node-directory";
import { DEFAULT_DEDUPE_WINDOW_MS, HookDedupe, hookFingerprint } from "../ingest/hook-dedupe";
import type { EventStore } from "../events/types";
import { createActions, type Actions } from "../actions/actions.server";
import { createTap, type Tap } from "../tap/tap.server";
import { RecentByStream } from "../events/recent-by-stream";
import { DEFAULT_SHIELD, type ShieldConfig } from "../tap/race-shield";
import type { ZlmClient } from "../zlm/client";
import { createMetrics, type PortscopeMetrics } from "../metrics/metrics.server";
import { metricsAnswer, metricsRoute, type MetricsAnswer } from "../metrics/serve.server";
import { NO_ALERTS, parseAlertsFile, type AlertsConfig } from "../alerts/config-file";
import { startAlerts, type Alerts } from "../alerts/alerts.server";

/**
 * Everything that lives for the whole server process: one store, one
 * pipeline, one poller per node, one hook receiver and its lean listener.
 * Next evaluates modules twice (instrumentation and route bundles), so the
 * instance is kept on globalThis.
 */
export interface Portscope {
  pipeline: Pipeline;
  /** The one bus: committed batches fan out from here to SSE streams and in-process readers. */
  bus: EventBus;
  receiver: HookReceiver;
  pollers: Map<string, NodePoller>;
  nodes: ConfiguredNode[];
  directory: NodeDirectory;
  listener: ZlmListener | null;
  /** Per-node listeners that serve ZLM's own paths through the tap (nodes with a tapPort). */
  tapListeners: Map<string, ZlmListener>;
  hookToken: string | null;
  actions: Actions;
  tap: Tap;
  /** Prometheus metrics (lib/metrics), served at /metrics on the hook listener and the dashboard port. */
  metrics: PortscopeMetrics;
  /** /metrics for the Next route: the token only (a route handler does not see the scraper's address). */
  metricsFor(authorization: string | null): Promise<MetricsAnswer>;
  /** Alert rules and notifications (lib/alerts, lib/notify; PORTSCOPE_ALERTS). */
  alerts: Alerts;
  stop(): Promise<void>;
}

const KEY = Symbol.for("portscope.runtime");
type Holder = { [KEY]?: Promise<Portscope> };

export function getPortscope(): Promise<Portscope> {
  const g = globalThis as Holder;
  g[KEY] ??= startPortscope().catch((err) => {
    delete g[KEY];
    throw err;
  });
  return g[KEY];
}

async function startPortscope(): Promise<Portscope> {
  const config = getConfig();
  // A bad alerts file stops start-up before anything is opened.
  const alertsConfig = config.alertsPath ? readAlertsFile(config.alertsPath) : NO_ALERTS;
  const store = openSqliteStore(path.resolve(config.dbPath), { synchronous: config.dbSync, writer: config.dbWriter });
  const bus = new EventBus();
  const pipeline = await Pipeline.open(store, bus);
  const stopRetention = startRetention(store, { retentionMs: config.retentionDays * 86_400_000 });

  const directory = new NodeDirectory();
  const dedupe = new HookDedupe(DEFAULT_DEDUPE_WINDOW_MS);
  dedupe.preload(await recentHookFingerprints(store, Date.now() - DEFAULT_DEDUPE_WINDOW_MS));
  const receiver = createHookReceiver({
    dedupe,
    token: config.hookToken,
    allowSources: config.hookAllowSources,
    resolveNode: (mediaServerId) => directory.resolve(mediaServerId),
    sink: createHookSink(pipeline),
  });
  const recent = new RecentByStream();
  bus.subscribe((batch) => recent.add(batch.events));
  const nodeUrls = new Map<string, string>();
  const shields = new Map<string, ShieldConfig>();
  const pollerRef = new Map<string, NodePoller>();
  const evidence = {
    lifecycle: pipeline.lifecycle,
    recentForStream: async (nodeId: string, streamId: string, since: number) => recent.get(streamId, since).filter((e) => e.nodeId === nodeId),
    buildTime: (id: string) => pollerRef.get(id)?.state.version?.buildTime ?? null,
    commitHash: (id: string) => pollerRef.get(id)?.state.version?.commitHash ?? null,
  };
  const tap = createTap({
    ...evidence,
    nodeUrl: (id) => nodeUrls.get(id) ?? null,
    append: (events) => pipeline.append(events),
    shieldFor: (id) => shields.get(id) ?? DEFAULT_SHIELD,
    clientFor: (id) => clients.get(id) ?? null,
    observe: (call) => metrics?.observeTap(call),
  });
  let metrics: PortscopeMetrics | null = null;
  const extraRoutes = new Map([["/metrics", metricsRoute(() => metrics, config.metrics)]]);
  const listener = config.zlmPort === null ? null : await listenOrExplain("PORTSCOPE_ZLM_PORT", `the ZLM hook listener`, config.zlmHost, config.zlmPort, () => startZlmListener({ host: config.zlmHost, port: config.zlmPort!, receiver, tap, extraRoutes }));

  // Demo mode starts the emulator here, once the hook listener can take its hooks.
  const hookBase = listener ? `http://127.0.0.1:${listener.port}/api/hooks${config.hookToken ? `?token=${config.hookToken}` : ""}` : null;
  const nodes = await getNodes({ demoHookUrl: hookBase });
  const tapListeners = new Map<string, ZlmListener>();
  try {
    for (const node of nodes) {
      if (node.tapPort === null) continue;
      const variable = config.nodes.mode === "single" ? "ZLM_TAP_PORT" : "PORTSCOPE_NODES";
      const l = await listenOrExplain(variable, `node "${node.id}"'s tap listener`, config.zlmHost, node.tapPort, () => startNodeTapListener({ host: config.zlmHost, port: node.tapPort!, nodeId: node.id, tap }));
      tapListeners.set(node.id, l);
      console.log(`portscope: API tap for node ${node.id} on port ${l.port} (ZLM's own paths, /index/api/<endpoint>)`);
    }
  } catch (err) {
    for (const l of tapListeners.values()) await l.close();
    await listener?.close();
    stopRetention();
    await store.close();
    throw err;
  }
  const pollers = new Map<string, NodePoller>();
  const clients = new Map<string, ZlmClient>();
  for (const node of nodes) {
    directory.add({
      id: node.id,
      mediaServerId: node.mediaServerId,
      upstream: node.upstreamHooks ? { baseUrl: node.upstreamHooks.url, budgetMs: node.upstreamHooks.budgetMs, fallback: node.upstreamHooks.fallback } : null,
    });
    const client = createZlmClient({ id: node.id, url: node.url, secret: node.secret, label: node.label });
    clients.set(node.id, client);
    const poller = new NodePoller(client, pipeline, { intervalMs: config.pollIntervalMs, fastIntervalMs: 500, maxBackoffMs: 30_000, jitter: 0.1 });
    poller.onMediaServerId = (id) => directory.learn(node.id, id);
    poller.onCycle = (cycle) => metrics?.observePoll(node.id, cycle);
    pollers.set(node.id, poller);
    pollerRef.set(node.id, poller);
    nodeUrls.set(node.id, node.url);
    if (node.raceShield) shields.set(node.id, node.raceShield);
    poller.start();
  }

  const nodeIds = () => nodes.map((n) => n.id);
  const nodeUp = (id: string) => pollers.get(id)?.state.online ?? null;
  let alerts: Alerts | null = null;
  metrics = createMetrics({ nodeIds, lifecycle: pipeline.lifecycle, nodeUp, sseClients: () => bus.streamCount, alertsFiring: () => alerts?.firing() ?? [] });
  const liveMetrics = metrics;
  bus.subscribe((batch) => liveMetrics.observeBatch(batch));
  alerts = await startAlerts({ config: alertsConfig, lifecycle: pipeline.lifecycle, nodeIds, nodeUp, append: (events) => pipeline.append(events), observeDelivery: (d) => liveMetrics.observeDelivery(d) }, store);
  const liveAlerts = alerts;
  bus.subscribe((batch) => liveAlerts.observeEvents(batch.events));

  const actions = createActions({
    append: (events) => pipeline.append(events),
    lifecycle: pipeline.lifecycle,
    clientFor: (id) => clients.get(id) ?? null,
    diagnose: createDiagnoser(evidence),
  });

  return {
    tap,
    actions,
    pipeline,
    bus,
    receiver,
    pollers,
    nodes,
    directory,
    listener,
    tapListeners,
    hookToken: config.hookToken,
    metrics,
    metricsFor: (authorization) => metricsAnswer(liveMetrics, config.metrics, { authorization, remoteAddress: null }),
    alerts,
    async stop() {
      liveAlerts.stop();
      for (const p of pollers.values()) p.stop();
      stopRetention();
      for (const l of tapListeners.values()) await l.close();
      await listener?.close();
      await store.close();
    },
  };
}

function readAlertsFile(file: string): AlertsConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError("PORTSCOPE_ALERTS", `cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseAlertsFile(text, file);
}

/** A port we cannot bind stops start-up with the setting to change, like any other configuration error. */
async function listenOrExplain(variable: string, what: string, host: string, port: number, start: () => Promise<ZlmListener>): Promise<ZlmListener> {
  try {
    return await start();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "EADDRINUSE" ? "the port is already in use" : code === "EACCES" ? "permission denied" : err instanceof Error ? err.message : String(err);
    throw new ConfigError(variable, `${what} cannot listen on ${host}:${port}: ${why}`);
  }
}

/**
 * Hooks stored just before a restart may never have been answered (crash
 * between commit and reply); ZLM will retry those, so remember them.
 */
async function recentHookFingerprints(store: EventStore, since: number) {
  const recent = await store.query({ from: since, order: "asc", limit: 10_000 });
  const seen = new Set<string>();
  const out: { fingerprint: string; eventId: number; at: number }[] = [];
  for (const ev of recent) {
    if (ev.source !== "hook" || ev.kind === "hook.rejected" || ev.hookIndex == null) continue;
    const tag = `${ev.nodeId}#${ev.hookIndex}`;
    if (seen.has(tag)) continue;
    seen.add(tag);
    out.push({ fingerprint: hookFingerprint(ev.nodeId, ev.payload), eventId: ev.id, at: ev.at });
  }
  return out;
}
