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
