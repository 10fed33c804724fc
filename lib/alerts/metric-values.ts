/**
 * The per-node values metric rules watch, read from the lifecycle model and
 * from a one-minute window of committed events (fed by the bus). Pure.
 */
import type { PortscopeEvent } from "../events/types";
import type { LifecycleModel } from "../lifecycle/model";
import type { AlertMetric } from "./config-file";

const WINDOW_MS = 60_000;
type RateMetric = "timeouts_per_minute" | "open_failures_per_minute" | "already_exists_per_minute";

/** Event times per node and rate metric over the last minute. */
export class RateWindow {
  private readonly times = new Map<string, number[]>();

  add(ev: PortscopeEvent): void {
    if (ev.kind === "rtp.timed_out") this.push(ev.nodeId, "timeouts_per_minute", ev.at);
    if (ev.kind === "rtp.open_failed") {
      this.push(ev.nodeId, "open_failures_per_minute", ev.at);
      if (ev.payload.kind === "conflict") this.push(ev.nodeId, "already_exists_per_minute", ev.at);
    }
  }

  perMinute(nodeId: string, metric: RateMetric, now: number): number {
    const list = this.times.get(`${nodeId}\u0000${metric}`);
    if (!list) return 0;
    while (list.length && list[0] <= now - WINDOW_MS) list.shift();
    return list.length;
  }

  private push(nodeId: string, metric: RateMetric, at: number): void {
    const k = `${nodeId}\u0000${metric}`;
    const list = this.times.get(k) ?? [];
    list.push(at);
    // Bounded: past 10k events a minute the rule has long fired; older entries are dropped.
    if (list.length > 10_000) list.splice(0, list.length - 10_000);
    this.times.set(k, list);
  }
}

export function readMetric(metric: AlertMetric, nodeId: string, model: Pick<LifecycleModel, "liveSessions" | "node">, rates: RateWindow, nodeUp: (nodeId: string) => boolean | null, now: number): number | null {
  switch (metric) {
    case "rtp_servers":
      return model.liveSessions(nodeId).length;
    case "rtp_servers_waiting":
      return model.liveSessions(nodeId).filter((s) => s.state === "waiting").length;
    case "port_pool_used":
    case "port_pool_used_ratio": {
      const range = model.node(nodeId)?.portRange;
      if (!range) return null;
      const used = model.liveSessions(nodeId).length;
      const size = Math.floor((range[1] - range[0] + 1) / 2);
      return metric === "port_pool_used" ? used : size > 0 ? used / size : null;
    }
    case "node_down": {
      const up = nodeUp(nodeId);
      return up === null ? null : up ? 0 : 1;
    }
    case "timeouts_per_minute":
    case "open_failures_per_minute":
    case "already_exists_per_minute":
      return rates.perMinute(nodeId, metric, now);
  }
}
