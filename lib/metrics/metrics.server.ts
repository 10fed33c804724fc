import "server-only";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { CommittedBatch } from "../live/bus";
import type { PortscopeEvent } from "../events/types";
import type { LifecycleModel } from "../lifecycle/model";
import { poolUse, serversByState } from "./gauges";

/**
 * Portscope's Prometheus metrics (prom-client, one registry per process, kept
 * by the runtime). Counters move with committed events on the bus, so they
 * count exactly what the event log holds; gauges are read from the lifecycle
 * model at scrape time. docs/metrics.md lists every series.
 */
export interface MetricsSource {
  nodeIds(): string[];
  lifecycle: Pick<LifecycleModel, "liveSessions" | "node" | "incidents">;
  /** Last poll reached the node (null while unknown). */
  nodeUp(nodeId: string): boolean | null;
  sseClients(): number;
  /** Alerts firing now, per rule and severity (lib/alerts). */
  alertsFiring?(): { rule: string; severity: string }[];
}

const LAG_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const POLL_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const TAP_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
/** Endpoints the tap names in a label (a fixed set: anything else is "other", so labels stay bounded). */
const TAP_ENDPOINTS = new Set(["openRtpServer", "openRtpServerMultiplex", "closeRtpServer", "getRtpInfo", "listRtpServer", "updateRtpServerSSRC", "pauseRtpCheck", "resumeRtpCheck", "connectRtpServer", "close_streams", "getMediaList", "getServerConfig", "version"]);

export function createMetrics(source: MetricsSource) {
  const registry = new Registry();
  // Unprefixed process_* and nodejs_* series, as stock Node.js dashboards expect them.
  collectDefaultMetrics({ register: registry });

  const opens = new Counter({ name: "portscope_rtp_opens_total", help: "RTP servers opened (openRtpServer answered 0, or first listed by a poll), by node and source.", labelNames: ["node", "source"], registers: [registry] });
  const openFailures = new Counter({
    name: "portscope_rtp_open_failures_total",
    help: 'openRtpServer refusals by node, ZLM code, failure kind and "already exists" cause (a-f, unknown; none when not a conflict).',
    labelNames: ["node", "code", "kind", "cause"],
    registers: [registry],
  });
  const timeouts = new Counter({ name: "portscope_rtp_timeouts_total", help: "on_rtp_server_timeout hooks by node.", labelNames: ["node"], registers: [registry] });
  const hookEvents = new Counter({ name: "portscope_hook_events_total", help: "Events committed from ZLM hooks, by node and event kind.", labelNames: ["node", "kind"], registers: [registry] });
  const hookRejected = new Counter({ name: "portscope_hooks_rejected_total", help: "Hooks refused (bad token, source, size, body), by reason.", labelNames: ["reason"], registers: [registry] });
  const hookLag = new Histogram({ name: "portscope_hook_commit_lag_seconds", help: "From a hook's arrival to its events being durable and published (what ZLM waits for before its answer).", labelNames: ["node"], buckets: LAG_BUCKETS, registers: [registry] });
  const pollDuration = new Histogram({ name: "portscope_poll_duration_seconds", help: "One poll cycle (listRtpServer + getMediaList, config on slow cycles), by node.", labelNames: ["node"], buckets: POLL_BUCKETS, registers: [registry] });
  const pollErrors = new Counter({ name: "portscope_poll_errors_total", help: "Failed poll cycles by node and error kind.", labelNames: ["node", "kind"], registers: [registry] });
  const tapCalls = new Counter({ name: "portscope_tap_calls_total", help: "ZLM API calls through the tap, by node and endpoint.", labelNames: ["node", "endpoint"], registers: [registry] });
  const tapAdded = new Histogram({ name: "portscope_tap_added_latency_seconds", help: "Time a tapped call spent in Portscope beyond waiting for ZLM, by node and endpoint.", labelNames: ["node", "endpoint"], buckets: TAP_BUCKETS, registers: [registry] });
  const deliveries = new Counter({ name: "portscope_notifications_total", help: "Notification deliveries by channel, format and outcome (sent, failed = one attempt failed, gave_up).", labelNames: ["channel", "format", "outcome"], registers: [registry] });

  new Gauge({
    name: "portscope_rtp_servers",
    help: "RTP servers Portscope believes live, by node and lifecycle state.",
    labelNames: ["node", "state"],
    registers: [registry],
    collect() {
      this.reset();
      for (const node of source.nodeIds()) for (const [state, n] of serversByState(source.lifecycle.liveSessions(node))) this.set({ node, state }, n);
    },
  });
  // Each pool gauge reads the model itself: collect() runs per metric, in registration order.
  const pool = (node: string) => poolUse(source.lifecycle.liveSessions(node).length, source.lifecycle.node(node)?.portRange ?? null);
  const poolGauge = (name: string, help: string, value: (use: NonNullable<ReturnType<typeof poolUse>>) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["node"],
      registers: [registry],
      collect() {
        this.reset();
        for (const node of source.nodeIds()) {
          const use = pool(node);
          if (use) this.set({ node }, value(use));
        }
      },
    });
  poolGauge("portscope_port_pool_used", "Live RTP servers holding a port pair of rtp_proxy.port_range, by node.", (u) => u.used);
  poolGauge("portscope_port_pool_size", "Even port pairs in rtp_proxy.port_range (what port=0 opens draw from), by node.", (u) => u.size);
  poolGauge("portscope_port_pool_used_ratio", "portscope_port_pool_used / portscope_port_pool_size (port_pool_high fires above 0.8).", (u) => u.ratio);
  new Gauge({
    name: "portscope_port_pool_read",
    help: "1 when the node's port range is known (the pool gauges are set), 0 while it is not.",
    labelNames: ["node"],
    registers: [registry],
    collect() {
      this.reset();
      for (const node of source.nodeIds()) this.set({ node }, pool(node) ? 1 : 0);
    },
  });
  new Gauge({
    name: "portscope_incidents",
    help: "Incidents by node, kind, severity and state (open, acknowledged, silenced; resolved ones are not counted).",
    labelNames: ["node", "kind", "severity", "state"],
    registers: [registry],
    collect() {
      this.reset();
      const counts = new Map<string, { labels: Record<string, string>; n: number }>();
      for (const i of source.lifecycle.incidents(Date.now())) {
        if (i.state === "resolved") continue;
        const labels = { node: i.nodeId, kind: i.type, severity: i.severity, state: i.state };
        const k = JSON.stringify(labels);
        const c = counts.get(k) ?? { labels, n: 0 };
        c.n++;
        counts.set(k, c);
      }
      for (const { labels, n } of counts.values()) this.set(labels, n);
    },
  });
  new Gauge({
    name: "portscope_node_up",
    help: "1 when the node's last poll answered, 0 when it failed (absent while unknown).",
    labelNames: ["node"],
    registers: [registry],
    collect() {
      this.reset();
      for (const node of source.nodeIds()) {
        const up = source.nodeUp(node);
        if (up !== null) this.set({ node }, up ? 1 : 0);
      }
    },
  });
  new Gauge({ name: "portscope_sse_clients", help: "Browser event streams (SSE) open now.", registers: [registry], collect() { this.set(source.sseClients()); } });
  new Gauge({
    name: "portscope_alerts_firing",
    help: "Alerts firing now (lib/alerts rules), by rule and severity.",
    labelNames: ["rule", "severity"],
    registers: [registry],
    collect() {
      this.reset();
      const counts = new Map<string, number>();
      for (const a of source.alertsFiring?.() ?? []) counts.set(`${a.rule}\u0000${a.severity}`, (counts.get(`${a.rule}\u0000${a.severity}`) ?? 0) + 1);
      for (const [k, n] of counts) {
        const [rule, severity] = k.split("\u0000");
        this.set({ rule, severity }, n);
      }
    },
  });

  // Series every node has from the start, so rate() and increase() see the first event.
  for (const node of source.nodeIds()) {
    timeouts.labels(node).inc(0);
    pollErrors.labels(node, "unreachable").inc(0);
  }

  function countEvent(ev: PortscopeEvent): void {
    const p = ev.payload;
    if (ev.source === "hook") {
      if (ev.kind === "hook.rejected") hookRejected.labels(typeof p.reason === "string" ? p.reason : "unknown").inc();
      else hookEvents.labels(ev.nodeId, ev.kind).inc();
    }
    if (ev.kind === "rtp.opened") opens.labels(ev.nodeId, ev.source).inc();
    else if (ev.kind === "rtp.timed_out") timeouts.labels(ev.nodeId).inc();
    else if (ev.kind === "rtp.open_failed") {
      const verdict = p.verdict as { cause?: unknown } | null | undefined;
      openFailures.labels(ev.nodeId, p.code == null ? "none" : String(p.code), typeof p.kind === "string" ? p.kind : "unknown", typeof verdict?.cause === "string" ? verdict.cause : "none").inc();
    }
  }

  return {
    registry,
    /** Bus listener: counts each committed batch, and a hook batch's commit lag. */
    observeBatch(batch: CommittedBatch): void {
      const now = Date.now();
      let hookAt: { nodeId: string; at: number } | null = null;
      for (const ev of batch.events) {
        countEvent(ev);
        if (ev.source === "hook" && hookAt === null) hookAt = { nodeId: ev.nodeId, at: ev.at };
      }
      if (hookAt) hookLag.labels(hookAt.nodeId).observe(Math.max(0, now - hookAt.at) / 1000);
    },
    observePoll(nodeId: string, cycle: { ms: number; error: { kind: string } | null }): void {
      pollDuration.labels(nodeId).observe(cycle.ms / 1000);
      if (cycle.error) pollErrors.labels(nodeId, cycle.error.kind).inc();
    },
    observeTap(call: { nodeId: string; endpoint: string; totalMs: number; upstreamMs: number }): void {
      const endpoint = TAP_ENDPOINTS.has(call.endpoint) ? call.endpoint : "other";
      tapCalls.labels(call.nodeId, endpoint).inc();
      tapAdded.labels(call.nodeId, endpoint).observe(Math.max(0, call.totalMs - call.upstreamMs) / 1000);
    },
    observeDelivery(d: { channel: string; format: string; outcome: "sent" | "failed" | "gave_up" }): void {
      deliveries.labels(d.channel, d.format, d.outcome).inc();
    },
    async render(): Promise<{ contentType: string; text: string }> {
      return { contentType: registry.contentType, text: await registry.metrics() };
    },
  };
}

export type PortscopeMetrics = ReturnType<typeof createMetrics>;
