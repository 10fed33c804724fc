"use client";

import { useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { EVENT_KINDS, type PortscopeEvent } from "../events/types";
import { STATE_FRAME, type StateFrame } from "../live/state-frame";
import type { PortSession } from "../lifecycle/types";
import { queryKeys } from "./keys";
import { LiveSessionLists, type SessionsData } from "./session-cache";
import { logAffected, type LogParams } from "./log-affected";

export type StreamStatus = "connecting" | "live" | "reconnecting";

interface StreamContext {
  status: StreamStatus;
  lastEventId: number | null;
  /** The most recent events (newest last), for live markers and the activity list. */
  recent: PortscopeEvent[];
  subscribe(listener: (events: PortscopeEvent[]) => void): () => void;
  /** Session rows as the server sent them (after each batch), e.g. to count changes while the timeline is paused. */
  subscribeRows(listener: (rows: PortSession[]) => void): () => void;
}

const Ctx = createContext<StreamContext | null>(null);
const RECENT = 200;

/**
 * One SSE connection per tab. The browser's EventSource reconnects by itself
 * and sends Last-Event-ID, so the server replays whatever was missed. Session
 * rows come from the server's model in `state` frames and replace cached rows
 * by id (the browser derives no lifecycle state); a page fetched while frames
 * were arriving gets the newer frames laid over it again. Node and anomaly
 * views are refetched when a frame says they moved; polling stays on as
 * reconciliation.
 */
export function EventStreamProvider({ children, enabled = true }: { children: ReactNode; enabled?: boolean }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<StreamStatus>("connecting");
  const [recent, setRecent] = useState<PortscopeEvent[]>([]);
  const [lastEventId, setLastEventId] = useState<number | null>(null);
  const listeners = useRef(new Set<(events: PortscopeEvent[]) => void>());
  const rowListeners = useRef(new Set<(rows: PortSession[]) => void>());

  useEffect(() => {
    if (!enabled) return;
    const source = new EventSource("/api/events");
    const lists = new LiveSessionLists({
      lists: () => queryClient.getQueriesData<SessionsData>({ queryKey: queryKeys.sessions.lists() }),
      set: (key, data) => queryClient.setQueryData(key, data),
    });
    let pendingEvents: PortscopeEvent[] = [];
    let pendingRows: PortSession[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastRefresh = 0;
    let refreshTimer: ReturnType<typeof setTimeout> | null = null;
    const stale = { nodes: false, anomalies: false, diagnosis: false, logEvents: [] as PortscopeEvent[] };

    const flush = () => {
      timer = null;
      const batch = pendingEvents;
      const rows = pendingRows;
      pendingEvents = [];
      pendingRows = [];
      if (batch.length > 0) {
        setRecent((prev) => [...prev, ...batch].slice(-RECENT));
        setLastEventId(batch[batch.length - 1].id);
        for (const l of listeners.current) l(batch);
        stale.logEvents.push(...batch);
        if (batch.some((e) => e.kind === "rtp.open_failed")) stale.diagnosis = true;
      }
      lists.put(rows);
      if (rows.length > 0) for (const l of rowListeners.current) l(rows);
      if (stale.nodes || stale.anomalies || stale.diagnosis || stale.logEvents.length > 0) refreshTimer ??= setTimeout(refresh, Math.max(0, 1000 - (Date.now() - lastRefresh)));
    };
    // Aggregates and event logs are refetched at most once a second, for everything since the last time.
    const refresh = () => {
      refreshTimer = null;
      lastRefresh = Date.now();
      if (stale.nodes) void queryClient.invalidateQueries({ queryKey: queryKeys.nodes.all() });
      if (stale.anomalies) void queryClient.invalidateQueries({ queryKey: queryKeys.incidents.all() });
      if (stale.diagnosis) void queryClient.invalidateQueries({ queryKey: queryKeys.diagnosis.all() });
      const events = stale.logEvents;
      if (events.length > 0) void queryClient.invalidateQueries({ queryKey: queryKeys.log.all(), predicate: (q) => logAffected((q.queryKey[2] ?? {}) as LogParams, events) });
      stale.nodes = stale.anomalies = stale.diagnosis = false;
      stale.logEvents = [];
    };
    const later = () => {
      // Coalesce bursts into one React update.
      timer ??= setTimeout(flush, 150);
    };
    const onEvent = (msg: MessageEvent<string>) => {
      try {
        pendingEvents.push(JSON.parse(msg.data) as PortscopeEvent);
      } catch {
        return;
      }
      later();
    };
    const onState = (msg: MessageEvent<string>) => {
      let frame: StateFrame;
      try {
        frame = JSON.parse(msg.data) as StateFrame;
      } catch {
        return;
      }
      const id = Number(msg.lastEventId);
      pendingRows.push(...lists.accept(Number.isFinite(id) ? id : 0, frame.sessions ?? []));
      if (frame.nodes?.length) stale.nodes = true;
      if (frame.anomalies) stale.anomalies = true;
      later();
    };
    // A page read before the newest frames arrived: lay them over it (setQueryData's own updates are `manual`).
    const unwatch = queryClient.getQueryCache().subscribe((e) => {
      if (e.type !== "updated" || e.action.type !== "success" || e.action.manual) return;
      const key = e.query.queryKey;
      if (key[0] !== "sessions" || key[1] !== "list") return;
      const data = e.query.state.data as SessionsData | undefined;
      if (data) lists.pageLanded(key, data);
    });
    source.onopen = () => setStatus("live");
    source.onerror = () => setStatus("reconnecting");
    source.onmessage = onEvent;
    // Named SSE events only reach listeners registered for their name.
    for (const n of EVENT_KINDS) source.addEventListener(n, onEvent as EventListener);
    source.addEventListener(STATE_FRAME, onState as EventListener);
    // The server dropped us or our position was pruned: start over from fresh data.
    source.addEventListener("reset", () => void queryClient.invalidateQueries());
    // A stream without Last-Event-ID starts at the server's "now": read the lists again so nothing between the first read and that moment is missed.
    source.addEventListener("open", () => void queryClient.invalidateQueries({ queryKey: queryKeys.sessions.lists() }));
    return () => {
      source.close();
      unwatch();
      if (timer) clearTimeout(timer);
      if (refreshTimer) clearTimeout(refreshTimer);
    };
  }, [queryClient, enabled]);

  const value: StreamContext = {
    status,
    lastEventId,
    recent,
    subscribe: (l) => {
      listeners.current.add(l);
      return () => listeners.current.delete(l);
    },
    subscribeRows: (l) => {
      rowListeners.current.add(l);
      return () => rowListeners.current.delete(l);
    },
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useEventStream(): StreamContext {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error("useEventStream outside EventStreamProvider");
  return ctx;
}
