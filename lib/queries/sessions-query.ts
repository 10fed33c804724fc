"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { PortscopeEvent } from "../events/types";
import type { SessionFilters } from "../api/session-filter";
import type { SessionsData } from "./session-cache";
import { queryKeys } from "./keys";

/** What a view asks for: the one session filter (lib/api/session-filter.ts), and a page size. */
export type SessionQuery = SessionFilters & { limit?: number };

export type SessionsResponse = SessionsData;

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

export function fetchSessions(filters: SessionQuery, signal?: AbortSignal): Promise<SessionsResponse> {
  return getJson(`/api/sessions?${qs({ limit: 1000, ...filters })}`, signal);
}

/** Every session matching the filters, page by page (the timeline needs all rows, up to `max`). */
export async function fetchAllSessions(filters: SessionQuery, signal?: AbortSignal, max = 50_000): Promise<SessionsResponse> {
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

/** Sessions; SSE state frames replace its rows as the server's model changes, polling every 15 s reconciles. */
export function useSessionsQuery(filters: SessionQuery) {
  return useQuery({
    queryKey: queryKeys.sessions.list(withoutUndefined(filters)),
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


/** undefined members would make different-looking keys for the same query */
function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
