"use client";

import { useEffect, useState } from "react";
import { useEventStream } from "@/lib/queries/event-stream";
import { touchesSessions } from "@/lib/queries/patch-sessions";

/** Lifecycle events that arrived since the timeline stopped following live (0 while following), and since when. */
export function useNewEventsWhilePaused(paused: boolean): { count: number; since: number | null } {
  const { subscribe } = useEventStream();
  const [state, setState] = useState<{ count: number; since: number | null }>({ count: 0, since: null });
  useEffect(() => {
    if (!paused) return setState({ count: 0, since: null });
    setState((s) => (s.since === null ? { count: 0, since: Date.now() } : s));
  }, [paused]);
  useEffect(() => {
    if (!paused) return;
    return subscribe((batch) => {
      const n = batch.filter(touchesSessions).length;
      if (n) setState((s) => ({ ...s, count: s.count + n }));
    });
  }, [paused, subscribe]);
  return state;
}
