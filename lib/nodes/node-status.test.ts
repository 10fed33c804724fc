import { describe, expect, it } from "vitest";
import { nodeStatus, portPoolCapacity, type PollView } from "./node-status";
import type { NodeModel } from "../lifecycle/types";

const node = { id: "zlm-1", label: "Edge 1", url: "http://10.0.0.5:8080", mode: "zlm" as const };
const model: NodeModel = { nodeId: "zlm-1", online: true, mediaServerId: "m", timeoutSec: 15, portRange: [30000, 35000], startedAt: 1, lastDownAt: null, lastSeenAt: 2, lastHookAt: 2 };
const ok: PollView = { online: true, lastPollAt: 1000, lastPollMs: 12, consecutiveFailures: 0, lastError: null, version: { branchName: "master", buildTime: "2026-08-21T10:00:00", commitHash: "fdaec26" }, config: { aliveIntervalSec: 10 } };

describe("nodeStatus", () => {
  it("is 'checking' until the first poll has answered", () => {
    const s = nodeStatus(node, { ...ok, online: null, lastPollAt: null, lastPollMs: null, version: null }, null, 0);
    expect(s).toMatchObject({ reachability: "checking", online: false, error: null, latencyMs: null, version: null });
  });

  it("reports an online node's version, poll latency and pool from the poller and the model", () => {
    const s = nodeStatus(node, ok, model, 7);
    expect(s).toMatchObject({ reachability: "online", online: true, latencyMs: 12, checkedAt: 1000, liveSessions: 7, poolCapacity: 2500 });
    expect(s.version).toEqual({ branchName: "master", buildTime: "2026-08-21T10:00:00", commitHash: "fdaec26" });
    expect(s.poll?.aliveIntervalSec).toBe(10);
  });

  it("warns when the port range reaches into Linux's default ephemeral ports, and not otherwise", () => {
    expect(nodeStatus(node, ok, model, 0).ephemeralOverlap).toMatchObject({ from: 32768, to: 35000 });
    expect(nodeStatus(node, ok, { ...model, portRange: [20000, 30000] }, 0).ephemeralOverlap).toBeNull();
    expect(nodeStatus(node, ok, null, 0).ephemeralOverlap).toBeNull();
  });

  it("carries the poller's error for an offline node and no latency", () => {
    const s = nodeStatus(node, { ...ok, online: false, consecutiveFailures: 3, lastError: { kind: "transient", message: "connect ECONNREFUSED 127.0.0.1:1" } }, model, 0);
    expect(s).toMatchObject({ reachability: "offline", online: false, hooksOnly: false, latencyMs: null, error: { kind: "transient", message: "connect ECONNREFUSED 127.0.0.1:1" } });
  });

  it("tells an unreachable API from a dead node: keepalives still arriving", () => {
    const failing = { ...ok, online: false, lastError: { kind: "permanent", message: "-100 Please login first" } };
    expect(nodeStatus(node, failing, model, 0, true).hooksOnly).toBe(true);
    expect(nodeStatus(node, ok, model, 0, true).hooksOnly).toBe(false);
  });
});

describe("portPoolCapacity", () => {
  it("counts even port pairs (RTP + RTCP) in rtp_proxy.port_range", () => {
    expect(portPoolCapacity([30000, 35000])).toBe(2500);
    expect(portPoolCapacity([30000, 30001])).toBe(1);
    expect(portPoolCapacity(null)).toBeNull();
    expect(portPoolCapacity([30000, 29990])).toBeNull();
  });
});
