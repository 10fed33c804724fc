"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Incident } from "../lifecycle/incidents";
import { queryKeys } from "./keys";
import { csrfHeaders } from "../auth/csrf-client";

export interface IncidentFilters {
  node?: string;
  key?: string;
}

export async function fetchIncidents(f: IncidentFilters, signal?: AbortSignal): Promise<{ incidents: Incident[] }> {
  const q = new URLSearchParams(Object.entries(f).filter((e): e is [string, string] => !!e[1]));
  const res = await fetch(`/api/incidents?${q.toString()}`, { signal, cache: "no-store" });
  if (!res.ok) throw new Error(`/api/incidents answered HTTP ${res.status}`);
  return (await res.json()) as { incidents: Incident[] };
}

/** Incidents, refetched when an SSE state frame says the anomaly book moved, and every 15 s (time-based ones). */
export function useIncidentsQuery(f: IncidentFilters = {}) {
  const filters = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as IncidentFilters;
  return useQuery({ queryKey: queryKeys.incidents.list(filters), queryFn: ({ signal }) => fetchIncidents(filters, signal), refetchInterval: 15_000 });
}

export interface IncidentMarkRequest {
  incidentId: string;
  op: "acknowledge" | "silence";
  reason: string;
  minutes?: number;
}

/** Acknowledge or silence one incident; the lists refetch when it is recorded. */
export function useIncidentMark() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (m: IncidentMarkRequest) => {
      const res = await fetch("/api/incidents", { method: "POST", headers: { "content-type": "application/json", ...csrfHeaders() }, body: JSON.stringify(m) });
      const json = (await res.json()) as { ok?: boolean; message?: string; issues?: { path: string; message: string }[] };
      if (!res.ok) throw new Error(json.issues?.map((i) => `${i.path}: ${i.message}`).join("; ") || json.message || `HTTP ${res.status}`);
      return json;
    },
    onSettled: () => void queryClient.invalidateQueries({ queryKey: queryKeys.incidents.all() }),
  });
}
