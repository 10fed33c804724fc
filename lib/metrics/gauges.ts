/**
 * The gauges /metrics reads from the lifecycle model at scrape time, as pure
 * functions (the same arithmetic as the model's port_pool_high check).
 */
import type { PortSession, SessionState } from "../lifecycle/types";

export function serversByState(live: readonly PortSession[]): Map<SessionState, number> {
  const out = new Map<SessionState, number>();
  for (const s of live) out.set(s.state, (out.get(s.state) ?? 0) + 1);
  return out;
}

/** Port pairs in use of rtp_proxy.port_range (each server takes an even RTP port and its RTCP neighbour); null while the range is unknown. */
export function poolUse(liveServers: number, portRange: [number, number] | null): { used: number; size: number; ratio: number } | null {
  if (!portRange) return null;
  const size = Math.floor((portRange[1] - portRange[0] + 1) / 2);
  if (size <= 0) return null;
  return { used: liveServers, size, ratio: liveServers / size };
}
