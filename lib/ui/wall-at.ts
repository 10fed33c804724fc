/**
 * The port wall at any moment, rebuilt from sessions (each carries the times
 * of its transitions): which servers existed at `t`, and in what state.
 * Pure, so time travel and the live wall share one definition.
 */
import type { PortSession, SessionState } from "../lifecycle/types";
import { pauseSpans } from "./session-bands";

export interface WallEntry {
  session: PortSession;
  stateAt: SessionState;
  ageMs: number;
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

/** How long a released server stays on the live wall, greyed, so an operator sees it go. */
export const RELEASED_GRACE_MS = 10_000;

/**
 * The live wall at `t`: what wallAt says, plus servers released within the grace
 * period. Each session once: the wall's clock ticks every second while events
 * arrive in between, so a session released after `t` is still live at `t` and
 * must not also appear as released (two rows with one React key scrambled the order).
 */
export function liveWallAt(sessions: PortSession[], t: number): WallEntry[] {
  const out = wallAt(sessions, t);
  for (const s of sessions) {
    if (s.state === "released" && s.releasedAt !== null && s.releasedAt <= t && t - s.releasedAt < RELEASED_GRACE_MS) out.push({ session: s, stateAt: "released", ageMs: s.releasedAt - s.openedAt });
  }
  return out;
}

export function wallAt(sessions: PortSession[], t: number): WallEntry[] {
  const out: WallEntry[] = [];
  for (const s of sessions) {
    const st = stateAt(s, t);
    if (st) out.push({ session: s, stateAt: st, ageMs: t - s.openedAt });
  }
  return out;
}
