"use client";

import { useEffect, useState } from "react";
import { useEventStream } from "@/lib/queries/event-stream";

/** Session changes the server sent since the timeline stopped following live (0 while following), and since when. */
export function useNewEventsWhilePaused(paused: boolean): { count: number; since: number | null } {
  const { subscribeRows } = useEventStream();
  const [state, setState] = useState<{ count: number; since: number | null }>({ count: 0, since: null });
  useEffect(() => {
    if (!paused) return setState({ count: 0, since: null });
    setState((s) => (s.since === null ? { count: 0, since: Date.now() } : s));
  }, [paused]);
  useEffect(() => {
    if (!paused) return;
    return subscribeRows((rows) => setState((s) => ({ ...s, count: s.count + rows.length })));
  }, [paused, subscribeRows]);
  return state;
}
