"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { PortscopeEvent } from "../events/types";
import type { Anomaly, PortSession } from "../lifecycle/types";
import { queryKeys } from "./keys";

export interface SessionFilters {
  node?: string;
  q?: string;
  stream?: string;
  key?: string;
  port?: number;
  state?: string;
  live?: boolean;
  from?: number;
  to?: number;
  limit?: number;
}

export interface SessionsResponse {
  sessions: PortSession[];
  total: number;
  nextOffset: number | null;
  generatedAt: number;
}

function qs(params: Record<string, string | number | boolean | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") u.set(k, String(v));
  return u.toString();
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal, cache: "no-store" });
  if (!res.ok) throw new Error(`${url.split("?")[0]} answered HTTP ${res.status}`);
  return (await res.json()) as T;
}

export function fetchSessions(filters: SessionFilters, signal?: AbortSignal): Promise<SessionsResponse> {
  return getJson(`/api/sessions?${qs({ limit: 1000, ...filters })}`, signal);
}

/** Every session matching the filters, page by page (the timeline needs all rows, up to `max`). */
export async function fetchAllSessions(filters: SessionFilters, signal?: AbortSignal, max = 50_000): Promise<SessionsResponse> {
  const first = await getJson<SessionsResponse>(`/api/sessions?${qs({ ...filters, limit: 1000, offset: 0 })}`, signal);
  const sessions = [...first.sessions];
  let next = first.nextOffset;
  while (next !== null && sessions.length < max) {
    const page = await getJson<SessionsResponse>(`/api/sessions?${qs({ ...filters, limit: 1000, offset: next })}`, signal);
    sessions.push(...page.sessions);
    next = page.nextOffset;
  }
  return { ...first, sessions, nextOffset: null };
}

/** Sessions; SSE invalidates it on every lifecycle event, polling every 15 s reconciles. */
export function useSessionsQuery(filters: SessionFilters) {
  return useQuery({
    queryKey: queryKeys.sessions.list(filters as Record<string, string | number | undefined>),
    queryFn: ({ signal }) => fetchAllSessions(filters, signal),
    refetchInterval: 15_000,
    placeholderData: keepPreviousData,
  });
}

export function fetchLog(params: { key?: string; node?: string; port?: number; from?: number; to?: number; limit?: number }, signal?: AbortSignal): Promise<{ events: PortscopeEvent[]; lastId: number }> {
  return getJson(`/api/log?${qs({ limit: 5000, order: "asc", ...params })}`, signal);
}

export function useLogQuery(params: { key?: string; node?: string; port?: number; from?: number; to?: number }) {
  // undefined members would make different-looking keys for the same query
  params = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
  return useQuery({ queryKey: queryKeys.log.list(params), queryFn: ({ signal }) => fetchLog(params, signal), refetchInterval: 15_000 });
}

export function useAnomaliesQuery(node?: string) {
  return useQuery({
    queryKey: queryKeys.anomalies.list(node),
    queryFn: ({ signal }) => getJson<{ anomalies: Anomaly[] }>(`/api/anomalies?${qs({ node })}`, signal),
    refetchInterval: 15_000,
  });
}
