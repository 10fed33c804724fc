import "server-only";
import type { EventStore, NewEvent, PortscopeEvent } from "../events/types";
import type { LifecycleModel } from "../lifecycle/model";
import { createNotifier, type Notifier } from "../notify/notifier.server";
import type { Notification } from "../notify/types";
import type { AlertsConfig, Channel } from "./config-file";
import { evaluate, incidentCandidates, metricCandidates, type AlertCandidate, type AlertState, type AlertTransition } from "./engine";
import { RateWindow, readMetric } from "./metric-values";
import type { AlertView } from "./types";

/**
 * Alerts in the running process: evaluates the rules on a timer (never on
 * the hook path), records each firing and resolution as an event, and hands
 * notifications to the delivery queue. Firing alerts are rebuilt from the log
 * at start, so a restart neither repeats a firing message nor loses a
 * resolved one.
 */
export interface AlertsDeps {
  config: AlertsConfig;
  lifecycle: Pick<LifecycleModel, "liveSessions" | "node" | "incidents" | "incidentMarksFor">;
  nodeIds(): string[];
  nodeUp(nodeId: string): boolean | null;
  append(events: NewEvent[]): Promise<PortscopeEvent[]>;
  observeDelivery?(d: { channel: string; format: string; outcome: "sent" | "failed" | "gave_up" }): void;
  now?: () => number;
}


export async function startAlerts(deps: AlertsDeps, store: Pick<EventStore, "query">) {
  const { config } = deps;
  const now = deps.now ?? Date.now;
  const rates = new RateWindow();
  const notifier: Notifier = createNotifier({ ...config.delivery, record: deps.append, observe: deps.observeDelivery, now });
  let states = restore(await store.query({ kinds: ["alert.firing", "alert.resolved"], order: "asc", limit: 10_000 }));
  const forMs = new Map(config.rules.map((r) => [r.id, r.forSeconds * 1000]));
  const ruleName = new Map(config.rules.map((r) => [r.id, r.name ?? null]));
  const ruleChannels = new Map(config.rules.map((r) => [r.id, r.channels ?? config.channels.map((c) => c.id)]));

  function candidates(at: number): AlertCandidate[] {
    const nodes = deps.nodeIds();
    return [
      ...incidentCandidates(config.rules, deps.lifecycle.incidents(at)),
      ...metricCandidates(config.rules, nodes, (m, n) => readMetric(m, n, deps.lifecycle, rates, deps.nodeUp, at), (id) => deps.lifecycle.incidentMarksFor(id), (id) => states.get(id)?.pendingSince ?? null, at),
    ];
  }

  function tick(): void {
    const at = now();
    const { next, transitions } = evaluate(states, candidates(at), (id) => forMs.get(id) ?? 0, at);
    states = next;
    if (transitions.length === 0) return;
    void deps.append(transitions.map(transitionEvent)).catch((err) => console.error("portscope: cannot record alert transitions", err));
    for (const t of transitions) notifier.enqueue(notificationOf(t), channelsOf(t.alert.ruleId));
  }

  function channelsOf(ruleId: string): Channel[] {
    const ids = ruleChannels.get(ruleId) ?? [];
    return config.channels.filter((c) => ids.includes(c.id));
  }

  function notificationOf(t: AlertTransition): Notification {
    const a = t.alert;
    return { status: t.type, alertId: a.alertId, ruleId: a.ruleId, ruleName: ruleName.get(a.ruleId) ?? null, severity: a.severity, nodeId: a.nodeId, key: a.key, port: a.port, kind: a.kind, detail: a.detail, value: a.value, incidentId: a.incidentId, startsAt: t.firingSince, endsAt: t.type === "resolved" ? t.at : null, sample: false, dashboardUrl: config.dashboardUrl ?? null };
  }

  const timer = config.rules.length ? setInterval(tick, config.evaluateEveryMs) : null;
  timer?.unref?.();

  return {
    config,
    /** Bus listener: feeds the per-minute windows of metric rules. */
    observeEvents(events: readonly PortscopeEvent[]): void {
      for (const ev of events) rates.add(ev);
    },
    tick,
    alerts(): AlertView[] {
      return [...states.values()].map((s) => ({
        alertId: s.candidate.alertId,
        ruleId: s.candidate.ruleId,
        severity: s.candidate.severity,
        nodeId: s.candidate.nodeId,
        key: s.candidate.key,
        kind: s.candidate.kind,
        detail: s.candidate.detail,
        value: s.candidate.value,
        incidentId: s.candidate.incidentId,
        state: s.firingSince === null ? "pending" : s.candidate.state === "open" ? "firing" : s.candidate.state,
        pendingSince: s.pendingSince,
        firingSince: s.firingSince,
      }));
    },
    firing(): { rule: string; severity: string }[] {
      return [...states.values()].filter((s) => s.firingSince !== null).map((s) => ({ rule: s.candidate.ruleId, severity: s.candidate.severity }));
    },
    /** A sample firing message to one channel (or every channel), through the same queue and records. */
    sendSample(channelId: string | null, nodeId: string): { deliveryIds: string[] } | null {
      const channels = channelId === null ? config.channels : config.channels.filter((c) => c.id === channelId);
      if (channels.length === 0) return null;
      const at = now();
      const n: Notification = { status: "firing", alertId: `sample|${at}`, ruleId: "sample", ruleName: "Portscope test notification", severity: "info", nodeId, key: null, port: null, kind: "sample", detail: "A test message from Portscope: this channel is set up.", value: null, incidentId: null, startsAt: at, endsAt: null, sample: true, dashboardUrl: config.dashboardUrl ?? null };
      return { deliveryIds: notifier.enqueue(n, channels) };
    },
    pendingDeliveries: () => notifier.pending(),
    stop(): void {
      if (timer) clearInterval(timer);
      notifier.stop();
    },
  };
}

export type Alerts = Awaited<ReturnType<typeof startAlerts>>;

function transitionEvent(t: AlertTransition): NewEvent {
  const a = t.alert;
  return { at: t.at, nodeId: a.nodeId, kind: t.type === "firing" ? "alert.firing" : "alert.resolved", key: a.key, port: a.port, source: "system", payload: { alertId: a.alertId, ruleId: a.ruleId, severity: a.severity, kind: a.kind, detail: a.detail, value: a.value, incidentId: a.incidentId, firingSince: t.firingSince, candidate: { ...a } } };
}

/** Alerts whose last recorded transition is a firing: they were notified and wait for their resolution. */
export function restore(events: readonly PortscopeEvent[]): Map<string, AlertState> {
  const out = new Map<string, AlertState>();
  for (const ev of events) {
    const id = typeof ev.payload.alertId === "string" ? ev.payload.alertId : null;
    if (!id) continue;
    if (ev.kind === "alert.resolved") {
      out.delete(id);
      continue;
    }
    const candidate = ev.payload.candidate as AlertCandidate | undefined;
    const firingSince = typeof ev.payload.firingSince === "number" ? ev.payload.firingSince : ev.at;
    if (candidate && typeof candidate.alertId === "string") out.set(id, { candidate, pendingSince: firingSince, firingSince, notified: true });
  }
  return out;
}
