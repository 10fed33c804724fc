import { describe, expect, it } from "vitest";
import { alertMarkEvent, alertMarkSchema } from "./alert-marks";

const incidentAlert = { alertId: "absent|exists_but_absent|n1|k|", incidentId: "exists_but_absent|n1|k|", nodeId: "n1", key: "k", kind: "exists_but_absent" };
const metricAlert = { alertId: "pool|n1", incidentId: null, nodeId: "n1", key: null, kind: "port_pool_used_ratio" };

describe("acknowledging and silencing an alert", () => {
  it("marks an incident rule's alert on its incident: the incidents' own event", () => {
    const ev = alertMarkEvent({ alertId: incidentAlert.alertId, op: "acknowledge", reason: "on it" }, [incidentAlert, metricAlert], 1000)!;
    expect(ev).toMatchObject({ kind: "incident.acknowledged", nodeId: "n1", key: "k", source: "action", payload: { incidentId: incidentAlert.incidentId, alertId: incidentAlert.alertId, reason: "on it", by: "operator" } });
  });
  it("marks a metric alert under its own id, a silence with its end", () => {
    const ev = alertMarkEvent({ alertId: "pool|n1", op: "silence", reason: "maintenance", minutes: 30 }, [incidentAlert, metricAlert], 1000)!;
    expect(ev).toMatchObject({ kind: "incident.silenced", payload: { incidentId: "pool|n1", until: 1000 + 30 * 60_000 } });
  });
  it("refuses an unknown alert, a silence without minutes and a reason too short", () => {
    expect(alertMarkEvent({ alertId: "nope", op: "acknowledge", reason: "why not" }, [metricAlert], 0)).toBeNull();
    expect(alertMarkSchema.safeParse({ alertId: "pool|n1", op: "silence", reason: "maintenance" }).success).toBe(false);
    expect(alertMarkSchema.safeParse({ alertId: "pool|n1", op: "acknowledge", reason: "x" }).success).toBe(false);
    expect(alertMarkSchema.safeParse({ alertId: "pool|n1", op: "acknowledge", reason: "fine", extra: 1 }).success).toBe(false);
  });
});
