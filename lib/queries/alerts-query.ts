"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { AlertsOverview } from "../alerts/overview";
import { queryKeys } from "./keys";
import { csrfHeaders } from "../auth/csrf-client";

export async function fetchAlerts(signal?: AbortSignal): Promise<AlertsOverview> {
  const res = await fetch("/api/alerts", { signal, cache: "no-store" });
  if (!res.ok) throw new Error(`/api/alerts answered HTTP ${res.status}`);
  return (await res.json()) as AlertsOverview;
}

/** Rules, channels and live alerts; alerts move on a timer server-side, so this polls. */
export function useAlertsQuery() {
  return useQuery({ queryKey: queryKeys.alerts.all(), queryFn: ({ signal }) => fetchAlerts(signal), refetchInterval: 5000 });
}

async function post(url: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...csrfHeaders() }, body: JSON.stringify(body) });
  const json = (await res.json()) as { message?: string; issues?: { path: string; message: string }[] } & Record<string, unknown>;
  if (!res.ok) throw new Error(json.issues?.map((i) => `${i.path}: ${i.message}`).join("; ") || json.message || `HTTP ${res.status}`);
  return json;
}

/** Acknowledge or silence an alert (the incident's own mark); alerts and incidents refetch. */
export function useAlertMark() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (m: { alertId: string; op: "acknowledge" | "silence"; reason: string; minutes?: number }) => post("/api/alerts", m),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.alerts.all() });
      void queryClient.invalidateQueries({ queryKey: queryKeys.incidents.all() });
    },
  });
}

export function useSendTestNotification() {
  return useMutation({ mutationFn: (channel: string | null) => post("/api/alerts/test", channel ? { channel } : {}) as Promise<{ deliveryIds?: string[] }> });
}
