import { describe, expect, it } from "vitest";
import { eventNotices, nodeNotices, type Reachability } from "./notices";
import type { PortscopeEvent } from "../events/types";

const ev = (kind: PortscopeEvent["kind"], payload: Record<string, unknown>, key: string | null = "__defaultVhost__/rtp/cam1"): PortscopeEvent => ({ id: 1, at: 1, nodeId: "zlm-1", kind, key, port: null, source: "action", payload });

describe("nodeNotices", () => {
  it("says nothing on first sight or while checking, then reports down and back up", () => {
    const prev = new Map<string, Reachability>();
    expect(nodeNotices(prev, [{ id: "a", label: "A", reachability: "offline" }])).toEqual([]);
    prev.set("a", "online");
    expect(nodeNotices(prev, [{ id: "a", label: "A", reachability: "checking" }])).toEqual([]);
    expect(nodeNotices(prev, [{ id: "a", label: "A", reachability: "offline", error: { message: "ECONNREFUSED" } }])).toEqual([{ tone: "error", key: "nodeOffline", params: { node: "A", error: "ECONNREFUSED" } }]);
    prev.set("a", "offline");
    expect(nodeNotices(prev, [{ id: "a", label: "A", reachability: "online" }])).toEqual([{ tone: "success", key: "nodeOnline", params: { node: "A" } }]);
  });
});

describe("eventNotices", () => {
  it("toasts finished actions with their outcome and restarts, nothing else", () => {
    const out = eventNotices([
      ev("action.finished", { action: "reopen", ok: true, outcome: "opened" }),
      ev("action.finished", { action: "close", ok: false, outcome: "failed", error: { message: "ZLM zlm-1 closeRtpServer: -100 Please login first" } }),
      ev("node.restarted", {}, null),
      ev("rtp.opened", {}),
      ev("action.step", { step: "close" }),
    ]);
    expect(out).toEqual([
      { tone: "success", key: "actionOk", params: { action: "reopen", stream: "cam1", outcome: "opened" } },
      { tone: "error", key: "actionFailed", params: { action: "close", stream: "cam1", outcome: "failed", error: "ZLM zlm-1 closeRtpServer: -100 Please login first" } },
      { tone: "warning", key: "nodeRestarted", params: { node: "zlm-1" } },
    ]);
  });
});
