/** Time ranges the timeline offers (5 min … 7 days), as they appear in the URL (`?range=15m`). */
export const RANGES = { "5m": 5 * 60e3, "15m": 15 * 60e3, "1h": 3600e3, "6h": 6 * 3600e3, "24h": 86400e3, "7d": 7 * 86400e3 } as const;
export type RangeKey = keyof typeof RANGES;

export function parseRange(value: string | null): RangeKey {
  return value && value in RANGES ? (value as RangeKey) : "15m";
}
