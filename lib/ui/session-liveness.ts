/**
 * Whether a session shown as live really is: only a configured node that
 * answers its polls makes its sessions live. A node no longer configured (a
 * database from an earlier run or another setup) leaves history: greyed, no
 * actions. An unreachable node's sessions are unknown since its last good
 * poll. Pure, browser-safe: the wall, the timeline and the stream page ask it.
 */
import { LIVE_STATES, type PortSession } from "../lifecycle/types";
import type { NodeStatus } from "../nodes/types";

export type SessionLiveness = { kind: "live" } | { kind: "ended" } | { kind: "history" } | { kind: "unknown"; since: number | null };

export function sessionLiveness(s: Pick<PortSession, "nodeId" | "state">, nodes: readonly Pick<NodeStatus, "id" | "reachability" | "poll">[] | undefined): SessionLiveness {
  if (!LIVE_STATES.has(s.state)) return { kind: "ended" };
  if (!nodes) return { kind: "live" }; // the node list is not loaded yet: nothing to say
  const node = nodes.find((n) => n.id === s.nodeId);
  if (!node) return { kind: "history" };
  if (node.reachability === "offline") return { kind: "unknown", since: node.poll?.lastOkAt ?? null };
  return { kind: "live" };
}

/** Whether operator actions on the session's key make sense now: not on a node that is gone or unreachable. */
export const actionable = (l: SessionLiveness) => l.kind === "live" || l.kind === "ended";
