/**
 * A port session as timeline bands (state over time) and point markers.
 * Pure: the canvas timeline, tooltips and tests all use it.
 */
import type { PortSession, SessionState } from "../lifecycle/types";
import type { MarkerKind } from "./state-palette";

export interface Band {
  state: SessionState;
  from: number;
  to: number;
}

export interface Marker {
  kind: MarkerKind;
  at: number;
}

export function sessionBands(s: PortSession, now: number): Band[] {
  if (s.state === "open_failed") return [];
  const end = s.releasedAt ?? now;
  const stops: { at: number | null; state: SessionState }[] = [
    { at: s.openedAt, state: "waiting" },
    { at: s.firstMediaAt, state: "receiving" },
    { at: s.mediaStoppedAt, state: "media_stopped" },
    { at: s.timedOutAt, state: "timed_out" },
    { at: s.closedAt, state: "closed" },
  ];
  const points = stops.filter((p): p is { at: number; state: SessionState } => p.at !== null).sort((a, b) => a.at - b.at);
  const bands: Band[] = [];
  for (let i = 0; i < points.length; i++) {
    const from = points[i].at;
    const to = Math.min(i + 1 < points.length ? points[i + 1].at : end, end);
    if (to <= from) continue;
    const prev = bands[bands.length - 1];
    // Equal neighbouring states merge into one band.
    if (prev && prev.state === points[i].state && prev.to === from) prev.to = to;
    else bands.push({ state: points[i].state, from, to });
  }
  return bands;
}

export function sessionMarkers(s: PortSession): Marker[] {
  if (s.state === "open_failed") return [{ kind: "open_failed", at: s.openedAt }];
  const out: Marker[] = [{ kind: "open", at: s.openedAt }];
  if (s.firstMediaAt !== null) out.push({ kind: "first_media", at: s.firstMediaAt });
  if (s.timedOutAt !== null) out.push({ kind: "timeout", at: s.timedOutAt });
  if (s.closedAt !== null) out.push({ kind: "close", at: s.closedAt });
  if (s.releasedAt !== null) out.push({ kind: "release", at: s.releasedAt });
  return out;
}

export interface TimelineRow {
  id: string;
  label: string;
  sublabel: string;
  sessions: PortSession[];
}

/** Rows per RTP key (default) or per node port, newest activity first. */
export function timelineRows(sessions: PortSession[], mode: "key" | "port"): TimelineRow[] {
  const rows = new Map<string, TimelineRow & { last: number }>();
  for (const s of sessions) {
    const id = mode === "key" ? `${s.nodeId}|${s.key}` : `${s.nodeId}|${s.port ?? "?"}`;
    let row = rows.get(id);
    if (!row) {
      const stream = s.key.split("/").slice(2).join("/");
      row = { id, label: mode === "key" ? stream : `port ${s.port ?? "?"}`, sublabel: mode === "key" ? `${s.nodeId} · ${s.key.split("/")[1]}` : `${s.nodeId}`, sessions: [], last: 0 };
      rows.set(id, row);
    }
    row.sessions.push(s);
    row.last = Math.max(row.last, s.lastEventAt);
  }
  return [...rows.values()].sort((a, b) => b.last - a.last || (a.id < b.id ? -1 : 1)).map(({ last: _last, ...r }) => r);
}
