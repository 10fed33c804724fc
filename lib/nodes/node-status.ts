/**
 * What the node cards show, from what the poller and the lifecycle model
 * already know: no extra call to ZLM per page view. Pure, tested.
 */
import type { NodeModel } from "../lifecycle/types";
import type { NodeStatus } from "./types";
import { ephemeralOverlap } from "./port-range-advice";
import type { NodePollState } from "../ingest/poller.server";

/** The part of the poller's state the cards show. */
export type PollView = Pick<NodePollState, "online" | "lastPollAt" | "lastPollMs" | "consecutiveFailures" | "lastError" | "version"> & Partial<Pick<NodePollState, "lastOkAt">> & { config: { aliveIntervalSec?: number | null } | null };

/** ZLM allocates an even RTP port and the odd RTCP port above it for every port=0 open (reference 2.1). */
export function portPoolCapacity(range: [number, number] | null | undefined): number | null {
  if (!range) return null;
  const capacity = Math.floor((range[1] - range[0] + 1) / 2);
  return capacity > 0 ? capacity : null;
}

export function nodeStatus(
  node: { id: string; label: string; url: string; mode: "zlm" | "demo" },
  poll: PollView | null | undefined,
  model: NodeModel | null,
  liveSessions: number,
  /** Keepalives still arriving at the node's alive_interval (lifecycle/node-liveness). */
  keepaliveAlive = false,
): NodeStatus {
  const reachability = !poll || poll.online === null ? "checking" : poll.online ? "online" : "offline";
  const v = poll?.version;
  return {
    id: node.id,
    label: node.label,
    url: node.url,
    mode: node.mode,
    reachability,
    hooksOnly: reachability === "offline" && keepaliveAlive,
    online: reachability === "online",
    version: v ? { branchName: v.branchName ?? "", buildTime: v.buildTime ?? "", commitHash: v.commitHash ?? "" } : null,
    error: reachability === "offline" ? (poll?.lastError ?? { kind: "transient", message: "the last poll failed" }) : null,
    checkedAt: poll?.lastPollAt ?? null,
    latencyMs: reachability === "online" ? (poll?.lastPollMs ?? null) : null,
    model,
    liveSessions,
    poolCapacity: portPoolCapacity(model?.portRange),
    ephemeralOverlap: ephemeralOverlap(model?.portRange),
    poll: poll ? { lastPollAt: poll.lastPollAt, lastOkAt: poll.lastOkAt ?? null, lastPollMs: poll.lastPollMs, consecutiveFailures: poll.consecutiveFailures, aliveIntervalSec: poll.config?.aliveIntervalSec ?? null } : null,
  };
}
