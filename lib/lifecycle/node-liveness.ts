import type { Lifecycle } from "./reduce";

/** ZLM's built-in hook.alive_interval (the sample config.ini says 10; reference 4.2). */
export const DEFAULT_ALIVE_INTERVAL_SEC = 30;
/** Delivery slack on top of one missed keepalive (hook.timeoutSec is 10 by default). */
const KEEPALIVE_SLACK_MS = 5_000;

export interface NodeLiveness {
  online: boolean;
  /** What says so: a poll that answered, or keepalives still arriving while polls fail. */
  by: "poll" | "keepalive" | null;
  lastKeepaliveAt: number | null;
  /** After this, with polls failing, the node counts as offline. */
  keepaliveExpiresAt: number | null;
}

/**
 * Reachable by polls, or alive by keepalive: a node whose polls fail is still
 * up while on_server_keepalive keeps coming at its alive_interval, and offline
 * once two intervals pass without one.
 */
export function nodeLiveness(model: Lifecycle, nodeId: string, now: number): NodeLiveness {
  const node = model.node(nodeId);
  const k = model.keepalive(nodeId);
  const intervalMs = (k.intervalSec ?? DEFAULT_ALIVE_INTERVAL_SEC) * 1000;
  const expiresAt = k.lastAt === null ? null : k.lastAt + 2 * intervalMs + KEEPALIVE_SLACK_MS;
  // A keepalive from before the node was last seen down says nothing about now.
  const fresh = expiresAt !== null && now <= expiresAt && k.lastAt! > (node?.lastDownAt ?? -Infinity);
  if (node?.online === true) return { online: true, by: "poll", lastKeepaliveAt: k.lastAt, keepaliveExpiresAt: expiresAt };
  return { online: fresh, by: fresh ? "keepalive" : null, lastKeepaliveAt: k.lastAt, keepaliveExpiresAt: expiresAt };
}
