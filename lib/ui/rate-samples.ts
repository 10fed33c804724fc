/**
 * Receive-rate samples of one stream, collected in the browser while its page
 * is open: the server keeps only the last rate, never a history.
 */
export interface RateSample {
  t: number;
  /** Bytes/s per node id. */
  rates: Record<string, number>;
}

export interface NodeRates {
  nodeId: string;
  polledAt: number | null;
  rates: { key: string; bytesSpeed: number }[];
}

/** Adds one sample per new poll (same poll, same sample) and drops those older than `keepMs`. */
export function appendRateSample(samples: RateSample[], nodes: NodeRates[], key: string, now: number, keepMs = 5 * 60_000): RateSample[] {
  const polled = nodes.filter((n) => n.polledAt !== null);
  if (polled.length === 0) return samples;
  const t = Math.max(...polled.map((n) => n.polledAt ?? 0));
  if (samples.length > 0 && samples[samples.length - 1].t >= t) return samples;
  const rates: Record<string, number> = {};
  for (const n of polled) rates[n.nodeId] = n.rates.find((r) => r.key === key)?.bytesSpeed ?? 0;
  return [...samples.filter((s) => now - s.t <= keepMs), { t, rates }];
}
