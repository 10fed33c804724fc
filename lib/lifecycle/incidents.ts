/**
 * Incidents: the anomalies an operator handles. One per (kind, node, key or
 * port), with a severity per kind, and a state: open, acknowledged (who, why),
 * silenced for a period, or resolved once the condition ended (the model ends
 * it; nobody has to). Operator marks and demo stagings are events in the log,
 * applied by the reducer; this module only combines them. Pure, browser-safe.
 */
import type { Anomaly, AnomalyType } from "./types";

export type Severity = "critical" | "warning" | "info";
export type IncidentState = "open" | "acknowledged" | "silenced" | "resolved";

/** Severity per kind (docs/incidents.md says why, and what to do). */
export const INCIDENT_SEVERITY: Record<AnomalyType, Severity> = {
  waiting_past_timeout: "critical", // ZLM should have closed it: the key and port stay blocked
  port_pool_high: "critical", // new opens are about to fail
  exists_but_absent: "warning", // a platform's open is refused while a server waits for media
  repeated_timeouts: "warning", // an open loop with no media
  ghost_receiver: "warning", // timeouts for a server nobody lists; only a restart clears it
  vanished_without_hook: "warning", // a timeout hook was lost
  media_without_server: "info", // single-port/multiplex stream, or a teardown in progress
};

export const SEVERITY_ORDER: Severity[] = ["critical", "warning", "info"];

export interface OperatorMark {
  by: string;
  reason: string;
  at: number;
}

export interface IncidentMarks {
  ack?: OperatorMark;
  silence?: OperatorMark & { until: number };
}

/** A demo's staged cause: incidents of this kind (and key, when given) on the node within [from, until] are staged. */
export interface Staging {
  kind: AnomalyType;
  nodeId: string;
  key: string | null;
  from: number;
  until: number;
  label: string;
  /** The demo act that staged it (lib/sim/demo-story.ts), so the UI can say it in the viewer's language. */
  act: string | null;
}

export interface Incident extends Anomaly {
  severity: Severity;
  state: IncidentState;
  acknowledged: OperatorMark | null;
  silenced: (OperatorMark & { until: number }) | null;
  /** Raised by a cause the demo staged (the label says which), not by a fault. */
  staged: string | null;
  stagedAct: string | null;
}

export function toIncidents(anomalies: Anomaly[], marks: ReadonlyMap<string, IncidentMarks>, stagings: readonly Staging[], now: number): Incident[] {
  return anomalies
    .map((a): Incident => {
      const m = marks.get(a.id);
      const silenced = m?.silence && m.silence.until > now && m.silence.at >= a.firstSeenAt ? m.silence : null;
      const acknowledged = m?.ack && m.ack.at >= a.activeSince ? m.ack : null;
      const state: IncidentState = !a.active ? "resolved" : silenced ? "silenced" : acknowledged ? "acknowledged" : "open";
      const staging = stagings.find((s) => s.kind === a.type && s.nodeId === a.nodeId && (s.key === null || s.key === a.key) && a.activeSince >= s.from && a.activeSince <= s.until);
      return { ...a, severity: INCIDENT_SEVERITY[a.type], state, acknowledged, silenced, staged: staging?.label ?? null, stagedAct: staging?.act ?? null };
    })
    .sort(incidentOrder);
}

/** Open first, then acknowledged, silenced, resolved; critical before warning before info; newest first. */
export function incidentOrder(a: Incident, b: Incident): number {
  const rank: Record<IncidentState, number> = { open: 0, acknowledged: 1, silenced: 2, resolved: 3 };
  return rank[a.state] - rank[b.state] || SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || b.lastSeenAt - a.lastSeenAt || (a.id < b.id ? -1 : 1);
}

/** Incidents that need someone (not resolved, not silenced), by severity: what the wall's tiles count. */
export function countBySeverity(incidents: Incident[]): Record<Severity, number> {
  const out: Record<Severity, number> = { critical: 0, warning: 0, info: 0 };
  for (const i of incidents) if (i.state === "open" || i.state === "acknowledged") out[i.severity]++;
  return out;
}
