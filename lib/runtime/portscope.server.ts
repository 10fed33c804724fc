import "server-only";
import fs from "node:fs";
import path from "node:path";
import { getConfig } from "../config/index.server";
import { getNodes, startDemoTraffic } from "../nodes/registry.server";
import type { ConfiguredNode } from "../nodes/types";
import { openSqliteStore } from "../events/sqlite-store";
import { EventBus } from "../live/bus";
import { startRetention } from "../events/retention";
import { createZlmClient } from "../zlm/client";
import { rtpKey } from "../zlm/rtp-key";
import { Pipeline } from "../events/pipeline.server";
import type { EventPipeline } from "../events/event-pipeline";
import { openPgStore, pgClientConfig } from "../events/pg-store.server";
import { SharedLogPipeline } from "../events/shared-log-pipeline.server";
import { startPollerLeadership, type PollerLeadership } from "../ingest/poller-leadership.server";
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
import { DIAGNOSIS_EVENT_KINDS } from "../diagnosis/already-exists";
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
  pipeline: EventPipeline;
  /** "sqlite": this process owns the log; "postgres": instances share it (DATABASE_URL). */
  log: "sqlite" | "postgres";
  /** Nodes this instance polls (all of them on SQLite; those whose leadership it holds on PostgreSQL). */
  polledNodes(): string[];
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
  const bus = new EventBus();
  const { store, pipeline, closeLog } = await openLog(config, bus);
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
  const recent = new RecentByStream(60_000, DIAGNOSIS_EVENT_KINDS);
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
    await closeLog();
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
    if (!config.databaseUrl) poller.start();
  }
  // On a shared log each node is polled by one instance at a time; hooks and tapped calls are taken by any.
  // The others learn the poll results from the log.
  if (config.databaseUrl) {
    for (const [id, poller] of pollers) for (const ev of await lastPollResults(pipeline.store, id)) poller.observe(ev);
    bus.subscribe((batch) => {
      for (const ev of batch.events) if (ev.source === "poll") pollers.get(ev.nodeId)?.observe(ev);
    });
  }
  const leadership: PollerLeadership | null = config.databaseUrl
    ? startPollerLeadership({
        clientConfig: pgClientConfig(config.databaseUrl),
        nodeIds: nodes.map((n) => n.id),
        onLead: (id) => pollers.get(id)?.takeOver(),
        onLose: (id) => pollers.get(id)?.stop(),
      })
    : null;
  // The demo's platforms call ZLM through the tap (as a platform should), so their failing opens are recorded and diagnosed.
  await startDemoTraffic({
    apiUrlFor: (nodeId, emulatorUrl) => (listener ? `http://127.0.0.1:${listener.port}/zlm/${encodeURIComponent(nodeId)}` : emulatorUrl),
    onStaged: (nodeId, cause) =>
      void pipeline.append([{ at: Date.now(), nodeId, kind: "demo.staged", key: rtpKey({ streamId: cause.streamId }), port: null, source: "system", payload: { kind: cause.kind, act: cause.act, label: cause.label, until: cause.until } }]),
  });

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
    log: config.databaseUrl ? "postgres" : "sqlite",
    polledNodes: () => leadership?.led() ?? nodes.map((n) => n.id),
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
      await leadership?.stop();
      liveAlerts.stop();
      for (const p of pollers.values()) p.stop();
      stopRetention();
      for (const l of tapListeners.values()) await l.close();
      await listener?.close();
      await closeLog();
    },
  };
}

/** SQLite in this process (the default), or the PostgreSQL log that several instances share (DATABASE_URL). */
async function openLog(config: ReturnType<typeof getConfig>, bus: EventBus): Promise<{ store: EventStore; pipeline: EventPipeline; closeLog: () => Promise<void> }> {
  if (!config.databaseUrl) {
    const store = openSqliteStore(path.resolve(config.dbPath), { synchronous: config.dbSync, writer: config.dbWriter });
    return { store, pipeline: await Pipeline.open(store, bus), closeLog: () => store.close() };
  }
  let store;
  try {
    store = await openPgStore(config.databaseUrl, { synchronous: config.dbSync });
  } catch (err) {
    throw new ConfigError("DATABASE_URL", `cannot open the PostgreSQL event log: ${err instanceof Error ? err.message : String(err)}`);
  }
  const pipeline = await SharedLogPipeline.open(store, bus);
  // Sign-in cookies are signed with it: with a random key per process, a browser the balancer sends to
  // another instance is signed out there.
  if (!process.env.PORTSCOPE_SESSION_SECRET) console.warn("portscope: DATABASE_URL is set but PORTSCOPE_SESSION_SECRET is not: each instance signs sessions with a key of its own, so behind a load balancer users are signed out whenever another instance answers; give every instance the same PORTSCOPE_SESSION_SECRET");
  return {
    store,
    pipeline,
    async closeLog() {
      await pipeline.close();
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

/** A node's last reachability and config events from its poller (whichever instance that was), oldest first. */
async function lastPollResults(store: Pick<EventStore, "query">, nodeId: string) {
  const [reach, config] = await Promise.all([
    store.query({ nodeId, kinds: ["node.online", "node.offline"], order: "desc", limit: 1 }),
    store.query({ nodeId, kinds: ["node.config"], order: "desc", limit: 1 }),
  ]);
  return [...reach, ...config].filter((e) => e.source === "poll").sort((a, b) => a.id - b.id);
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
