import type { SessionFilters } from "../api/session-filter";

/** The one query-key factory: every cache entry the UI holds is named here. */
export const queryKeys = {
  nodes: {
    all: () => ["nodes"] as const,
  },
  sessions: {
    all: () => ["sessions"] as const,
    lists: () => ["sessions", "list"] as const,
    list: (filters: SessionFilters & { limit?: number }) => ["sessions", "list", filters] as const,
    events: (id: string) => ["sessions", "events", id] as const,
  },
  log: {
    all: () => ["log"] as const,
    list: (params: Record<string, string | number | undefined>) => ["log", "list", params] as const,
  },
  actions: {
    preflight: (nodeId: string, rtpKey: string) => ["actions", "preflight", nodeId, rtpKey] as const,
  },
  health: {
    all: () => ["health"] as const,
  },
  media: {
    all: () => ["media"] as const,
    list: (filters: { node?: string; key?: string }) => ["media", "list", filters] as const,
  },
  incidents: {
    all: () => ["incidents"] as const,
    list: (filters: { node?: string; key?: string }) => ["incidents", "list", filters] as const,
  },
  alerts: {
    all: () => ["alerts"] as const,
  },
  auth: {
    me: () => ["auth", "me"] as const,
  },
  audit: {
    all: () => ["audit"] as const,
    list: (params: { from?: number; to?: number; user?: string }) => ["audit", "list", params] as const,
  },
  diagnosis: {
    all: () => ["diagnosis"] as const,
    stats: (params: { node?: string; from?: number; to?: number; bucketMs?: number }) => ["diagnosis", "stats", params] as const,
  },
};
