import { describe, expect, it } from "vitest";
import { auditRecords, auditToCsv } from "./audit";
import type { PortscopeEvent } from "../events/types";

const actor = { user: "ana", role: "operator", via: "session", clientAddress: "198.51.100.2", userAgent: "Firefox" };
const ev = (id: number, kind: PortscopeEvent["kind"], payload: Record<string, unknown>, port: number | null = null): PortscopeEvent => ({ id, at: 1_700_000_000_000 + id, nodeId: "zlm-1", kind, key: "__defaultVhost__/rtp/cam1", port, source: "action", payload });

describe("audit records", () => {
  it("join an action's start and finish: who, why, what came of it and ZLM's answer", () => {
    const recs = auditRecords([
      ev(1, "action.started", { actionId: "a1", action: "reopen", reason: "camera re-invited", actor }),
      ev(2, "action.step", { actionId: "a1", step: "close" }),
      ev(3, "action.finished", { actionId: "a1", action: "reopen", outcome: "failed", ok: false, error: { code: -300, msg: "This stream already exists", message: "openRtpServer" }, actor }, 30002),
      ev(4, "incident.acknowledged", { incidentId: "i1", by: "bo", role: "admin", reason: "known", clientAddress: "10.0.0.9" }),
    ]);
    expect(recs).toHaveLength(2);
    expect(recs[1]).toMatchObject({ user: "ana", role: "operator", what: "reopen", reason: "camera re-invited", result: "failed", ok: false, port: 30002, clientAddress: "198.51.100.2", userAgent: "Firefox", zlm: "code -300: This stream already exists: openRtpServer" });
    expect(recs[0]).toMatchObject({ user: "bo", what: "incident.acknowledged", reason: "known" });
  });

  it("export as CSV with ISO times, quoted cells and no formula injection", () => {
    const csv = auditToCsv(auditRecords([ev(1, "action.started", { actionId: "a1", action: "close", reason: '=HYPERLINK("x"), "quoted"', actor })]));
    const [head, row] = csv.split("\r\n");
    expect(head.startsWith("at,user,role,what")).toBe(true);
    expect(row.startsWith("2023-11-14T22:13:20.001Z,ana,operator,close")).toBe(true);
    expect(row).toContain(`"'=HYPERLINK(""x""), ""quoted"""`);
  });
});
