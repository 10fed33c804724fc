"use client";

import { useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { EVENT_KINDS, type PortscopeEvent } from "../events/types";
import { queryKeys } from "./keys";
import type { PortSession } from "../lifecycle/types";
import { patchSessions, touchesSessions } from "./patch-sessions";
import { logAffected, type LogParams } from "./log-affected";
import type { SessionsResponse } from "./sessions-query";

export type StreamStatus = "connecting" | "live" | "reconnecting";

interface StreamContext {
  status: StreamStatus;
  lastEventId: number | null;
  /** The most recent events (newest last), for live markers and the activity list. */
  recent: PortscopeEvent[];
  subscribe(listener: (events: PortscopeEvent[]) => void): () => void;
}

const Ctx = createContext<StreamContext | null>(null);
const RECENT = 200;

/**
 * One SSE connection per tab. The browser's EventSource reconnects by itself
 * and sends Last-Event-ID, so the server replays whatever was missed. Events
 * invalidate the affected queries (batched), polling stays on as reconciliation.
 */
export function EventStreamProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<StreamStatus>("connecting");
  const [recent, setRecent] = useState<PortscopeEvent[]>([]);
  const [lastEventId, setLastEventId] = useState<number | null>(null);
  const listeners = useRef(new Set<(events: PortscopeEvent[]) => void>());

  useEffect(() => {
    const source = new EventSource("/api/events");
    let pending: PortscopeEvent[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastAggregateRefresh = 0;
    let unrefreshed: PortscopeEvent[] = [];
    let refreshTimer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      const batch = pending;
      pending = [];
      if (batch.length === 0) return;
      setRecent((prev) => [...prev, ...batch].slice(-RECENT));
      setLastEventId(batch[batch.length - 1].id);
      for (const l of listeners.current) l(batch);
      // Rows are patched in place; aggregates are refetched, at most once a second.
      if (batch.some(touchesSessions)) {
        for (const [key, data] of queryClient.getQueriesData<SessionsResponse>({ queryKey: queryKeys.sessions.all() })) {
          if (!data || !Array.isArray(data.sessions)) continue;
          const filters = (key[2] ?? {}) as { node?: string; key?: string; q?: string };
          const matches = (s: PortSession) => (!filters.node || s.nodeId === filters.node) && (!filters.key || s.key === filters.key) && (!filters.q || s.key.includes(filters.q));
          const patched = patchSessions(data.sessions, batch, matches);
          if (patched !== data.sessions) queryClient.setQueryData(key, { ...data, sessions: patched, total: patched.length });
        }
      }
      // Aggregates and event logs are refetched at most once a second, for every event since the last time.
      unrefreshed.push(...batch);
      refreshTimer ??= setTimeout(refreshAggregates, Math.max(0, 1000 - (Date.now() - lastAggregateRefresh)));
    };
    const refreshAggregates = () => {
      refreshTimer = null;
      lastAggregateRefresh = Date.now();
      const events = unrefreshed;
      unrefreshed = [];
      if (events.some((e) => e.kind.startsWith("rtp.") || e.kind.startsWith("node.") || e.kind.startsWith("stream."))) void queryClient.invalidateQueries({ queryKey: queryKeys.anomalies.all() });
      void queryClient.invalidateQueries({ queryKey: queryKeys.log.all(), predicate: (q) => logAffected((q.queryKey[2] ?? {}) as LogParams, events) });
      if (events.some((e) => e.kind === "rtp.open_failed")) void queryClient.invalidateQueries({ queryKey: queryKeys.diagnosis.all() });
    };
    const onEvent = (msg: MessageEvent<string>) => {
      try {
        pending.push(JSON.parse(msg.data) as PortscopeEvent);
      } catch {
        return;
      }
      // Coalesce bursts into one React update and one invalidation.
      timer ??= setTimeout(flush, 150);
    };
    source.onopen = () => setStatus("live");
    source.onerror = () => setStatus("reconnecting");
    source.onmessage = onEvent;
    // Named SSE events only reach listeners registered for their name.
    for (const n of EVENT_KINDS) source.addEventListener(n, onEvent as EventListener);
    // The server dropped us or our position was pruned: start over from fresh data.
    source.addEventListener("reset", () => void queryClient.invalidateQueries());
    // After a reconnect the replay patches rows, but refetch once to be sure of aggregates.
    source.addEventListener("open", () => void queryClient.invalidateQueries({ queryKey: queryKeys.sessions.all() }));
    return () => {
      source.close();
      if (timer) clearTimeout(timer);
      if (refreshTimer) clearTimeout(refreshTimer);
    };
  }, [queryClient]);

  const value: StreamContext = {
    status,
    lastEventId,
    recent,
    subscribe: (l) => {
      listeners.current.add(l);
      return () => listeners.current.delete(l);
    },
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useEventStream(): StreamContext {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error("useEventStream outside EventStreamProvider");
  return ctx;
}
