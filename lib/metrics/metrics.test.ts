import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { createMetrics } from "./metrics.server";
import { Lifecycle } from "../lifecycle/reduce";
import type { NewEvent, PortscopeEvent } from "../events/types";
import { parsePrometheus, seriesValue } from "../testing/prometheus-text";

const NODE = "zlm-1";
const KEY = "__defaultVhost__/rtp/cam1";

function rig() {
  const lifecycle = new Lifecycle();
  let id = 0;
  const metrics = createMetrics({ nodeIds: () => [NODE], lifecycle, nodeUp: () => true, sseClients: () => 3, alertsFiring: () => [{ rule: "pool", severity: "critical" }] });
  const feed = (events: (Pick<NewEvent, "kind" | "source"> & Partial<NewEvent>)[]) => {
    const stored: PortscopeEvent[] = events.map((e) => ({ nodeId: NODE, key: KEY, port: null, payload: {}, at: Date.now(), ...e, id: ++id }));
    for (const ev of stored) lifecycle.apply(ev);
    metrics.observeBatch({ events: stored, changes: lifecycle.takeChanges() });
  };
  return { metrics, feed };
}

/** A scenario touching every family: config, opens, a refusal with its cause, a timeout, a rejected hook, polls, tap calls, a delivery. */
async function scenario() {
  const { metrics, feed } = rig();
  const t0 = Date.now() - 60_000;
  feed([{ kind: "node.config", key: null, source: "poll", at: t0, payload: { timeoutSec: 15, portRange: [30000, 30019] } }]);
  feed([{ kind: "rtp.opened", source: "tap", at: t0, port: 30000, payload: { port: 30000 } }]);
  feed([{ kind: "rtp.opened", source: "poll", key: "__defaultVhost__/rtp/cam2", at: t0, port: 30002, payload: { port: 30002 } }]);
  feed([{ kind: "rtp.open_failed", source: "tap", payload: { code: -300, kind: "conflict", verdict: { cause: "a" } } }]);
  feed([{ kind: "rtp.open_failed", source: "tap", payload: { code: -1, kind: "other" } }]);
  feed([{ kind: "rtp.timed_out", source: "hook", key: "__defaultVhost__/rtp/cam2", port: 30002 }]);
  feed([{ kind: "hook.rejected", source: "hook", key: null, payload: { reason: "bad_token" } }]);
  metrics.observePoll(NODE, { ms: 12, error: null });
  metrics.observePoll(NODE, { ms: 3000, error: { kind: "timeout" } });
  metrics.observeTap({ nodeId: NODE, endpoint: "openRtpServer", totalMs: 5.5, upstreamMs: 5 });
  metrics.observeTap({ nodeId: NODE, endpoint: "weirdEndpoint", totalMs: 1, upstreamMs: 1 });
  metrics.observeDelivery({ channel: "noc", format: "wecom", outcome: "failed" });
  const { contentType, text } = await metrics.render();
  return { contentType, text, parsed: parsePrometheus(text) };
}

describe("/metrics", () => {
  it("counts committed events by node, code, kind and cause, and reads gauges from the model", async () => {
    const { contentType, parsed: m } = await scenario();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(seriesValue(m, "portscope_rtp_opens_total", { node: NODE, source: "tap" })).toBe(1);
    expect(seriesValue(m, "portscope_rtp_opens_total", { node: NODE, source: "poll" })).toBe(1);
    expect(seriesValue(m, "portscope_rtp_open_failures_total", { node: NODE, code: "-300", kind: "conflict", cause: "a" })).toBe(1);
    expect(seriesValue(m, "portscope_rtp_open_failures_total", { node: NODE, code: "-1", kind: "other", cause: "none" })).toBe(1);
    expect(seriesValue(m, "portscope_rtp_timeouts_total", { node: NODE })).toBe(1);
    expect(seriesValue(m, "portscope_hooks_rejected_total", { reason: "bad_token" })).toBe(1);
    expect(seriesValue(m, "portscope_hook_events_total", { node: NODE, kind: "rtp.timed_out" })).toBe(1);
    expect(seriesValue(m, "portscope_poll_errors_total", { node: NODE, kind: "timeout" })).toBe(1);
    expect(seriesValue(m, "portscope_poll_duration_seconds", { node: NODE })).toBe(2);
    expect(seriesValue(m, "portscope_tap_calls_total", { node: NODE, endpoint: "other" })).toBe(1);
    expect(seriesValue(m, "portscope_tap_added_latency_seconds", { node: NODE, endpoint: "openRtpServer" })).toBe(1);
    // cam1 waits (opened a minute ago, past timeoutSec + 3 s); cam2 timed out: still live until released.
    expect(seriesValue(m, "portscope_rtp_servers", { node: NODE, state: "waiting" })).toBe(1);
    expect(seriesValue(m, "portscope_rtp_servers", { node: NODE, state: "timed_out" })).toBe(1);
    expect(seriesValue(m, "portscope_port_pool_used", { node: NODE })).toBe(2);
    expect(seriesValue(m, "portscope_port_pool_size", { node: NODE })).toBe(10);
    expect(seriesValue(m, "portscope_port_pool_used_ratio", { node: NODE })).toBeCloseTo(0.2);
    expect(seriesValue(m, "portscope_incidents", { node: NODE, kind: "waiting_past_timeout", severity: "critical", state: "open" })).toBe(1);
    expect(seriesValue(m, "portscope_sse_clients")).toBe(3);
    expect(seriesValue(m, "portscope_alerts_firing", { rule: "pool", severity: "critical" })).toBe(1);
    expect(seriesValue(m, "portscope_node_up", { node: NODE })).toBe(1);
    expect(seriesValue(m, "portscope_notifications_total", { channel: "noc", outcome: "failed" })).toBe(1);
    expect(seriesValue(m, "process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("sets no pool gauges while a node's port range is unknown (a 0 there would read as an empty pool)", async () => {
    const { metrics } = rig();
    const m = parsePrometheus((await metrics.render()).text);
    expect(seriesValue(m, "portscope_port_pool_read", { node: NODE })).toBe(0);
    expect(m.find((f) => f.name === "portscope_port_pool_size")?.metrics ?? []).toEqual([]);
    expect(seriesValue(m, "portscope_rtp_timeouts_total", { node: NODE })).toBe(0);
    expect(m.text).toMatch(/^portscope_rtp_timeouts_total\{node="zlm-1"\} 0$/m);
  });
});

describe("the Grafana dashboard (docs/grafana/portscope-dashboard.json)", () => {
  const dash = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../docs/grafana/portscope-dashboard.json"), "utf8")) as {
    __inputs: { name: string; type: string; pluginId: string }[];
    uid: string;
    title: string;
    schemaVersion: number;
    templating: { list: { name: string; query: { query: string } }[] };
    panels: { id: number; type: string; title: string; gridPos: { h: number; w: number; x: number; y: number }; datasource?: { type: string; uid: string }; targets?: { expr: string; refId: string }[] }[];
  };

  it("is in Grafana's import format: a Prometheus datasource input, uid, schemaVersion, unique panel ids inside the 24-column grid", () => {
    expect(dash.__inputs).toEqual([expect.objectContaining({ name: "DS_PROMETHEUS", type: "datasource", pluginId: "prometheus" })]);
    expect(dash.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(dash.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(new Set(dash.panels.map((p) => p.id)).size).toBe(dash.panels.length);
    for (const p of dash.panels) {
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
      if (p.type === "row") continue;
      expect(p.datasource, p.title).toEqual({ type: "prometheus", uid: "${DS_PROMETHEUS}" });
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
    }
  });

  it("names in every panel's expr and every variable's query only series /metrics exports", async () => {
    const { parsed } = await scenario();
    const exported = new Set<string>();
    for (const f of parsed) {
      if (f.metrics.length === 0) continue;
      exported.add(f.name);
      if (f.type === "HISTOGRAM") for (const s of ["_bucket", "_sum", "_count"]) exported.add(f.name + s);
    }
    const exprs = [...dash.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: p.title, expr: t.expr }))), ...dash.templating.list.map((v) => ({ where: `$${v.name}`, expr: v.query.query }))];
    expect(exprs.length).toBeGreaterThan(20);
    const FUNCTIONS = new Set(["sum", "by", "rate", "increase", "histogram_quantile", "label_values", "le", "node", "state", "source", "code", "kind", "cause", "severity", "rule", "channel", "outcome", "reason", "endpoint", "job", "instance"]);
    for (const { where, expr } of exprs) {
      // Identifiers outside quotes and {} label matchers, minus PromQL words and label names: the series names.
      const bare = expr.replace(/"[^"]*"/g, "").replace(/\{[^}]*\}/g, "").replace(/\[[^\]]*\]/g, "");
      const names = [...bare.matchAll(/[a-zA-Z_][a-zA-Z0-9_]*/g)].map((m) => m[0]).filter((n) => !FUNCTIONS.has(n));
      expect(names.length, `${where}: ${expr}`).toBeGreaterThan(0);
      for (const n of names) expect(exported.has(n), `${where}: ${n} (in ${expr})`).toBe(true);
    }
  });
});
