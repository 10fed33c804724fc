/**
 * A session's state at any moment, from the transition times the reducer
 * recorded on it (opened, first media, media stopped, timed out, closed,
 * released, pause windows). The one definition of "state at t": the wall's
 * time travel, the live wall (a pause expires on ZLM's clock, with no event),
 * tooltips and charts all read it; tests hold it to the reducer's own state.
 * Pure and browser-safe.
 */
import type { PortSession, SessionState } from "./types";

/** A pause window as drawn: from the call to its end, its expiry or the session's end, whichever is first. */
export function pauseSpans(s: PortSession, end: number): [number, number][] {
  return (s.pauses ?? []).map((p): [number, number] => [p.from, Math.min(p.to ?? Infinity, p.until, end)]).filter(([a, b]) => b > a);
}

export function stateAt(s: PortSession, t: number): SessionState | null {
  if (t < s.openedAt) return null;
  if (s.state === "open_failed") return null;
  if (s.releasedAt !== null && t >= s.releasedAt) return null;
  let state: SessionState = "waiting";
  const steps: [number | null, SessionState][] = [
    [s.firstMediaAt, "receiving"],
    [s.mediaStoppedAt, "media_stopped"],
    [s.timedOutAt, "timed_out"],
    [s.closedAt, "closed"],
  ];
  let last = -Infinity;
  for (const [at, st] of steps) if (at !== null && at <= t && at >= last) (state = st), (last = at);
  // A pause lies over a receiving server: inside its window the server is paused, after it receiving again.
  // (Checked only when there are pauses: the activity chart calls this for every session and bucket.)
  if ((state === "receiving" || state === "waiting") && s.pauses?.length) for (const [a, b] of pauseSpans(s, Infinity)) if (t >= a && t < b) return "paused";
  return state;
}

