/**
 * Alert evaluation: rules over incidents and per-node metric values give
 * candidate alerts; a candidate that lasts `forSeconds` fires, and fires
 * resolved once its condition is gone. Acknowledge and silence are the
 * incidents' own (the same incident.* events; a metric alert's id is its
 * incident id): an acknowledged or silenced alert is not notified, and the
 * resolved message only goes where a firing one went. Pure: state in, state
 * and transitions out.
 */
import type { Incident, IncidentMarks, Severity } from "../lifecycle/incidents";
import { globMatch, type AlertRule, type AlertMetric, type IncidentRule, type MetricRule } from "./config-file";

export type AlertMarkState = "open" | "acknowledged" | "silenced";

export interface AlertCandidate {
  alertId: string;
  ruleId: string;
  severity: Severity;
  nodeId: string;
  key: string | null;
  port: number | null;
  /** The incident behind it (incident rules), or null. */
  incidentId: string | null;
  kind: string;
  detail: string;
  value: number | null;
  /** When the condition began, if the source knows (an incident's activeSince). */
  since: number | null;
  state: AlertMarkState;
}

export interface AlertState {
  candidate: AlertCandidate;
  pendingSince: number;
  firingSince: number | null;
  /** A firing message went out (or was queued): only then does a resolved one. */
  notified: boolean;
}

export type AlertTransition = { type: "firing" | "resolved"; alert: AlertCandidate; firingSince: number; at: number };

export function incidentCandidates(rules: readonly AlertRule[], incidents: readonly Incident[]): AlertCandidate[] {
  const out: AlertCandidate[] = [];
  for (const rule of rules) {
    if (rule.on !== "incident") continue;
    for (const i of incidents) {
      if (i.state === "resolved" || !incidentMatches(rule, i)) continue;
      out.push({ alertId: `${rule.id}|${i.id}`, ruleId: rule.id, severity: rule.severity ?? i.severity, nodeId: i.nodeId, key: i.key, port: i.port, incidentId: i.id, kind: i.type, detail: i.detail, value: i.count, since: i.activeSince, state: i.state });
    }
  }
  return out;
}

export function incidentMatches(rule: IncidentRule, i: Incident): boolean {
  return (!rule.kinds || rule.kinds.includes(i.type)) && (!rule.severities || rule.severities.includes(i.severity)) && globMatch(rule.node, i.nodeId) && (rule.key === undefined || globMatch(rule.key, i.key));
}

/** Metric rules against each node's values; `marks` are the incident marks by id (a metric alert is acked/silenced by its own id). */
export function metricCandidates(rules: readonly AlertRule[], nodeIds: readonly string[], read: (metric: AlertMetric, nodeId: string) => number | null, marks: (alertId: string) => IncidentMarks | undefined, pendingSince: (alertId: string) => number | null, now: number): AlertCandidate[] {
  const out: AlertCandidate[] = [];
  for (const rule of rules) {
    if (rule.on !== "metric") continue;
    for (const nodeId of nodeIds) {
      if (!globMatch(rule.node, nodeId)) continue;
      const value = read(rule.metric, nodeId);
      if (value === null || !crosses(rule, value)) continue;
      const alertId = `${rule.id}|${nodeId}`;
      out.push({ alertId, ruleId: rule.id, severity: rule.severity, nodeId, key: null, port: null, incidentId: null, kind: rule.metric, detail: `${rule.metric} is ${round(value)} (${rule.op} ${rule.threshold})`, value, since: null, state: markState(marks(alertId), pendingSince(alertId) ?? now, now) });
    }
  }
  return out;
}

function crosses(rule: MetricRule, v: number): boolean {
  switch (rule.op) {
    case ">": return v > rule.threshold;
    case ">=": return v >= rule.threshold;
    case "<": return v < rule.threshold;
    case "<=": return v <= rule.threshold;
  }
}

/** The same reading as incidents: a silence holds until its end, an acknowledgement holds for the condition it was given on. */
export function markState(m: IncidentMarks | undefined, activeSince: number, now: number): AlertMarkState {
  if (m?.silence && m.silence.until > now && m.silence.at >= activeSince) return "silenced";
  if (m?.ack && m.ack.at >= activeSince) return "acknowledged";
  return "open";
}

export function evaluate(prev: ReadonlyMap<string, AlertState>, candidates: readonly AlertCandidate[], forMs: (ruleId: string) => number, now: number): { next: Map<string, AlertState>; transitions: AlertTransition[] } {
  const next = new Map<string, AlertState>();
  const transitions: AlertTransition[] = [];
  for (const c of candidates) {
    const was = prev.get(c.alertId);
    const pendingSince = was?.pendingSince ?? c.since ?? now;
    const st: AlertState = { candidate: c, pendingSince, firingSince: was?.firingSince ?? null, notified: was?.notified ?? false };
    if (st.firingSince === null && now - pendingSince >= forMs(c.ruleId)) st.firingSince = now;
    // An alert that fired while acknowledged or silenced is notified once it is open again and still firing.
    if (st.firingSince !== null && !st.notified && c.state === "open") {
      st.notified = true;
      transitions.push({ type: "firing", alert: c, firingSince: st.firingSince, at: now });
    }
    next.set(c.alertId, st);
  }
  for (const [id, st] of prev) {
    if (next.has(id) || st.firingSince === null || !st.notified) continue;
    transitions.push({ type: "resolved", alert: st.candidate, firingSince: st.firingSince, at: now });
  }
  return { next, transitions };
}

function round(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}
