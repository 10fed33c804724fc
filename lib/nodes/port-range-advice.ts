/**
 * ZLM's default rtp_proxy.port_range (30000-35000) overlaps Linux's default
 * ephemeral range (net.ipv4.ip_local_port_range, 32768-60999). Outgoing
 * connections on the ZLM host (its own hook and API clients, anything else on
 * the box) then take ports from the RTP pool, and an openRtpServer that lands
 * on one fails to bind. Portscope cannot read the ZLM host's sysctl, so the
 * advice assumes the kernel default and says so.
 */
export const LINUX_DEFAULT_EPHEMERAL: [number, number] = [32768, 60999];

export interface EphemeralOverlap {
  /** The overlapping ports, inclusive. */
  from: number;
  to: number;
  /** Share of the configured port range that overlaps, 0..1. */
  share: number;
}

export function ephemeralOverlap(range: [number, number] | null | undefined, ephemeral: [number, number] = LINUX_DEFAULT_EPHEMERAL): EphemeralOverlap | null {
  if (!range) return null;
  const from = Math.max(range[0], ephemeral[0]);
  const to = Math.min(range[1], ephemeral[1]);
  if (from > to) return null;
  return { from, to, share: (to - from + 1) / (range[1] - range[0] + 1) };
}
