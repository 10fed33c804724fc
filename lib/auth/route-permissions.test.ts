import { describe, expect, it } from "vitest";
import { ruleFor } from "./route-permissions";
import { can } from "./roles";

describe("what each path needs", () => {
  it("reads need read, actions act, configuration configure, the audit log audit", () => {
    expect(ruleFor("GET", "/api/sessions")).toEqual({ kind: "needs", permission: "read", mutating: false });
    expect(ruleFor("GET", "/wall")).toEqual({ kind: "needs", permission: "read", mutating: false });
    expect(ruleFor("POST", "/api/nodes/demo/rtp/preflight")).toEqual({ kind: "needs", permission: "read", mutating: true });
    expect(ruleFor("POST", "/api/nodes/demo/rtp/reopen")).toEqual({ kind: "needs", permission: "act", mutating: true });
    expect(ruleFor("POST", "/api/incidents")).toEqual({ kind: "needs", permission: "act", mutating: true });
    expect(ruleFor("POST", "/api/nodes/demo/config/timeout")).toEqual({ kind: "needs", permission: "configure", mutating: true });
    expect(ruleFor("GET", "/api/audit")).toEqual({ kind: "needs", permission: "audit", mutating: false });
    expect(ruleFor("DELETE", "/api/anything")).toMatchObject({ permission: "act", mutating: true });
  });

  it("ZLM's hooks, the tap, health and sign-in authenticate otherwise", () => {
    for (const p of ["/api/hooks/on_publish", "/zlm/demo/index/api/openRtpServer", "/api/health", "/signin", "/api/auth/signin"]) expect(ruleFor("POST", p).kind).toBe("public");
    expect(ruleFor("GET", "/_next/static/chunks/a.js").kind).toBe("static");
  });

  it("roles grant in order: viewer reads, operator acts, admin configures and audits", () => {
    expect([can("viewer", "read"), can("viewer", "act"), can("operator", "act"), can("operator", "configure"), can("admin", "configure"), can("admin", "audit"), can(null, "read")]).toEqual([true, false, true, false, true, true, false]);
  });
});
