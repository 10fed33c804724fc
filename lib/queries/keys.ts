/** The one query-key factory: every cache entry the UI holds is named here. */
export const queryKeys = {
  nodes: {
    all: () => ["nodes"] as const,
  },
  sessions: {
    all: () => ["sessions"] as const,
    list: (filters: Record<string, string | number | undefined>) => ["sessions", "list", filters] as const,
    events: (id: string) => ["sessions", "events", id] as const,
  },
  anomalies: {
    all: () => ["anomalies"] as const,
  },
};
