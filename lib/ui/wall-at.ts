/**
 * The port wall at any moment, rebuilt from sessions (each carries the times
 * of its transitions): which servers existed at `t`, and in what state.
 * Pure, so time travel and the live wall share one definition.
 */
import type { PortSession, SessionState } from "../lifecycle/types";
import { stateAt } from "../lifecycle/state-at";

export interface WallEntry {
  session: PortSession;
  stateAt: SessionState;
  ageMs: number;
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
