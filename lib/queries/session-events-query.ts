"use client";

import { useQuery } from "@tanstack/react-query";
import type { PortscopeEvent } from "../events/types";
import { LIVE_STATES, type PortSession } from "../lifecycle/types";
import { queryKeys } from "./keys";

export interface SessionEventsResponse {
  session: PortSession;
  events: PortscopeEvent[];
}

/** One session's raw events, its opening event to its last (`GET /api/sessions/<id>/events`). */
export async function fetchSessionEvents(id: string, signal?: AbortSignal): Promise<SessionEventsResponse> {
  const res = await fetch(`/api/sessions/${encodeURIComponent(id)}/events`, { signal, cache: "no-store" });
  if (!res.ok) throw new Error(`/api/sessions/…/events answered HTTP ${res.status}`);
  return (await res.json()) as SessionEventsResponse;
}

/** The raw events behind a timeline mark; an ended session's events never change, a live one's are refetched after 5 s. */
export function useSessionEventsQuery(session: PortSession | null) {
  return useQuery({
    queryKey: queryKeys.sessions.events(session?.id ?? ""),
    queryFn: ({ signal }) => fetchSessionEvents(session!.id, signal),
    enabled: session !== null,
    staleTime: session && LIVE_STATES.has(session.state) ? 5000 : Infinity,
    retry: false,
  });
}
