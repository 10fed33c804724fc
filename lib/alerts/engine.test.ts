import { describe, expect, it } from "vitest";
import { evaluate, incidentCandidates, markState, metricCandidates, type AlertCandidate, type AlertState } from "./engine";
import { alertsFileSchema } from "./config-file";
import type { Incident } from "../lifecycle/incidents";

const incident = (over: Partial<Incident> = {}): Incident => ({
  id: "exists_but_absent|n1|__defaultVhost__/rtp/cam1|",
  type: "exists_but_absent",
  nodeId: "n1",
  key: "__defaultVhost__/rtp/cam1",
  port: null,
  firstSeenAt: 1000,
  lastSeenAt: 1000,
  activeSince: 1000,
  endedAt: null,
  count: 1,
  detail: "refused while absent",
  active: true,
  eventIds: [1],
  severity: "warning",
  state: "open",
  acknowledged: null,
  silenced: null,
  staged: null,
  stagedAct: null,
  ...over,
});

const rules = alertsFileSchema.parse({
  rules: [
    { id: "absent", on: "incident", kinds: ["exists_but_absent"], node: "n*", forSeconds: 2 },
    { id: "cam2-only", on: "incident", key: "*/cam2" },
    { id: "pool", on: "metric", metric: "port_pool_used_ratio", op: ">", threshold: 0.8, forSeconds: 0, severity: "critical" },
  ],
}).rules;
const forMs = (id: string) => (rules.find((r) => r.id === id)!.forSeconds ?? 0) * 1000;

function run(steps: { at: number; candidates: AlertCandidate[] }[]) {
  let state = new Map<string, AlertState>();
  const out: string[] = [];
  for (const s of steps) {
    const r = evaluate(state, s.candidates, forMs, s.at);
    state = r.next;
    out.push(...r.transitions.map((t) => `${t.at}:${t.type}:${t.alert.alertId}`));
  }
  return { out, state };
}

describe("incident rules", () => {
  it("match by kind, node and key glob; a resolved incident is no candidate", () => {
    expect(incidentCandidates(rules, [incident()]).map((c) => c.ruleId)).toEqual(["absent"]);
    expect(incidentCandidates(rules, [incident({ nodeId: "other" })]).map((c) => c.ruleId)).toEqual([]);
    expect(incidentCandidates(rules, [incident({ key: "__defaultVhost__/rtp/cam2" })]).map((c) => c.ruleId)).toEqual(["absent", "cam2-only"]);
    expect(incidentCandidates(rules, [incident({ state: "resolved", active: false })])).toEqual([]);
  });

  it("fire once the incident has lasted forSeconds, once, and resolve once when it ends", () => {
    const c = incidentCandidates(rules, [incident()]);
    const { out } = run([
      { at: 1500, candidates: c },
      { at: 2900, candidates: c },
      { at: 3000, candidates: c },
      { at: 4000, candidates: c },
      { at: 5000, candidates: [] },
      { at: 6000, candidates: [] },
    ]);
    expect(out).toEqual([`3000:firing:absent|${incident().id}`, `5000:resolved:absent|${incident().id}`]);
  });

  it("stay silent for an incident that ends before forSeconds (a blip), and send no resolved for it", () => {
    const c = incidentCandidates(rules, [incident({ activeSince: 1000 })]);
    expect(run([{ at: 1500, candidates: c }, { at: 2000, candidates: [] }]).out).toEqual([]);
  });

  it("do not notify an acknowledged or silenced incident; notify when the silence ends and it still lasts", () => {
    const silenced = incidentCandidates(rules, [incident({ state: "silenced" })]);
    const open = incidentCandidates(rules, [incident()]);
    const acked = incidentCandidates(rules, [incident({ state: "acknowledged" })]);
    expect(run([{ at: 4000, candidates: acked }, { at: 5000, candidates: [] }]).out).toEqual([]);
    expect(run([{ at: 4000, candidates: silenced }, { at: 5000, candidates: silenced }, { at: 6000, candidates: open }, { at: 7000, candidates: [] }]).out).toEqual([
      `6000:firing:absent|${incident().id}`,
      `7000:resolved:absent|${incident().id}`,
    ]);
  });

  it("an acknowledgement after firing changes nothing already sent: the resolved message still goes", () => {
    const open = incidentCandidates(rules, [incident()]);
    const acked = incidentCandidates(rules, [incident({ state: "acknowledged" })]);
    expect(run([{ at: 4000, candidates: open }, { at: 5000, candidates: acked }, { at: 6000, candidates: [] }]).out).toEqual([`4000:firing:absent|${incident().id}`, `6000:resolved:absent|${incident().id}`]);
  });
});

describe("metric rules", () => {
  const read = (v: number | null) => () => v;
  const none = () => undefined;
  it("fire above the threshold per matching node, not at or below it, nor while the value is unknown", () => {
    expect(metricCandidates(rules, ["n1", "n2"], read(0.9), none, () => null, 0).map((c) => c.alertId)).toEqual(["pool|n1", "pool|n2"]);
    expect(metricCandidates(rules, ["n1"], read(0.8), none, () => null, 0)).toEqual([]);
    expect(metricCandidates(rules, ["n1"], read(null), none, () => null, 0)).toEqual([]);
  });
  it("take acknowledge and silence from the incident marks under the alert's id, as incidents read them", () => {
    const ack = { ack: { by: "op", reason: "on it", at: 500 } };
    expect(metricCandidates(rules, ["n1"], read(1), (id) => (id === "pool|n1" ? ack : undefined), () => 400, 600)[0].state).toBe("acknowledged");
    // An acknowledgement from before this alert began is void.
    expect(metricCandidates(rules, ["n1"], read(1), () => ack, () => 700, 800)[0].state).toBe("open");
    expect(markState({ silence: { by: "op", reason: "maintenance", at: 500, until: 2000 } }, 400, 1000)).toBe("silenced");
    expect(markState({ silence: { by: "op", reason: "maintenance", at: 500, until: 2000 } }, 400, 2500)).toBe("open");
  });
});

describe("after a restart", () => {
  it("firing alerts rebuilt from the log send no second firing message, and their resolved one still goes", async () => {
    const { restore } = await import("./alerts.server");
    const c = incidentCandidates(rules, [incident()])[0];
    const ev = (id: number, kind: "alert.firing" | "alert.resolved", alertId: string) => ({ id, at: 3000, nodeId: "n1", kind, key: c.key, port: null, source: "system" as const, payload: { alertId, firingSince: 3000, candidate: { ...c, alertId } } });
    const state = restore([ev(1, "alert.firing", c.alertId), ev(2, "alert.firing", "absent|other"), ev(3, "alert.resolved", "absent|other")]);
    expect([...state.keys()]).toEqual([c.alertId]);
    expect(evaluate(state, [c], forMs, 9000).transitions).toEqual([]);
    expect(evaluate(state, [], forMs, 9000).transitions.map((t) => [t.type, t.alert.alertId, t.firingSince])).toEqual([["resolved", c.alertId, 3000]]);
  });
});
