/**
 * How fresh a node's hooks are. ZLM posts on_server_keepalive every
 * hook.alive_interval seconds (30 by default), so a silent node is one that
 * missed several keepalives: its hook URLs are wrong, or it is down. Pure, tested.
 */
import { DEFAULT_ALIVE_INTERVAL_SEC } from "../lifecycle/node-liveness";

export type HookFreshness = "fresh" | "late" | "silent" | "never";

export function hookFreshness(lastHookAt: number | null | undefined, now: number, aliveIntervalSec: number | null | undefined): HookFreshness {
  if (lastHookAt == null) return "never";
  const interval = (aliveIntervalSec && aliveIntervalSec > 0 ? aliveIntervalSec : DEFAULT_ALIVE_INTERVAL_SEC) * 1000;
  const age = now - lastHookAt;
  if (age <= 2 * interval + 2000) return "fresh";
  if (age <= 5 * interval) return "late";
  return "silent";
}

export type NodeHealthState = "reachable" | "unreachable" | "checking";

export interface NodeHealth {
  id: string;
  url: string;
  state: NodeHealthState;
  lastOkAt: number | null;
  consecutiveFailures: number;
  error: string | null;
}

/** Each configured node as /api/health reports it: reachable, unreachable (with the last error) or still checking. */
export function nodesHealth(nodes: { id: string; url: string; poll: { online: boolean | null; lastOkAt: number | null; consecutiveFailures: number; lastError: { message: string } | null } | null }[]): NodeHealth[] {
  return nodes.map(({ id, url, poll }) => ({
    id,
    url,
    state: !poll || poll.online === null ? "checking" : poll.online ? "reachable" : "unreachable",
    lastOkAt: poll?.lastOkAt ?? null,
    consecutiveFailures: poll?.consecutiveFailures ?? 0,
    error: poll && poll.online === false ? (poll.lastError?.message ?? "the last poll failed") : null,
  }));
}
