import { describe, expect, it } from "vitest";
import { incidentMarkEvent, incidentMarkSchema } from "./incident-marks";
import { toIncidents } from "../lifecycle/incidents";
import type { Anomaly } from "../lifecycle/types";

const anomaly: Anomaly = { id: "ghost_receiver|n|__defaultVhost__/rtp/cam|", type: "ghost_receiver", nodeId: "n", key: "__defaultVhost__/rtp/cam", port: 8080, firstSeenAt: 0, lastSeenAt: 10, activeSince: 0, endedAt: null, count: 2, detail: "", active: true, eventIds: [1] };
const incidents = toIncidents([anomaly], new Map(), [], 20);

describe("incident marks", () => {
  it("an acknowledgement and a silence become events on the incident's node and key, with who, why and until", () => {
    expect(incidentMarkEvent({ incidentId: anomaly.id, op: "acknowledge", reason: "restart tonight", by: "alice" }, incidents, 100)).toMatchObject({ kind: "incident.acknowledged", nodeId: "n", key: anomaly.key, source: "action", payload: { incidentId: anomaly.id, by: "alice", reason: "restart tonight" } });
    expect(incidentMarkEvent({ incidentId: anomaly.id, op: "silence", reason: "known", minutes: 30 }, incidents, 100).payload).toMatchObject({ until: 100 + 30 * 60_000, by: "operator" });
  });
  it("refuses an unknown incident, a silence without minutes and a reason too short", () => {
    expect(() => incidentMarkEvent({ incidentId: "nope", op: "acknowledge", reason: "why not" }, incidents, 1)).toThrow(/no incident/);
    expect(incidentMarkSchema.safeParse({ incidentId: anomaly.id, op: "silence", reason: "known" }).success).toBe(false);
    expect(incidentMarkSchema.safeParse({ incidentId: anomaly.id, op: "acknowledge", reason: "x" }).success).toBe(false);
    expect(incidentMarkSchema.safeParse({ incidentId: anomaly.id, op: "acknowledge", reason: "fine", extra: 1 }).success).toBe(false);
  });
});
