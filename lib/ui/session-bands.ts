/**
 * A port session as timeline bands (state over time) and point markers.
 * Pure: the canvas timeline, tooltips and tests all use it.
 */
import type { PortscopeEvent } from "../events/types";
import { LIVE_STATES, type FailureVerdict, type PortSession, type SessionState } from "../lifecycle/types";
import type { MarkerKind } from "./state-palette";
import { pauseSpans } from "../lifecycle/state-at";

export interface Band {
  state: SessionState;
  from: number;
  to: number;
}

export interface Marker {
  kind: MarkerKind;
  at: number;
  /** Drawn instead of the kind's glyph, e.g. "!a" for an "already exists" of cause (a). */
  label?: string;
  /** One line for the tooltip and the accessible marker list. */
  detail?: string;
}

function overlay(bands: Band[], a: number, b: number, state: SessionState): Band[] {
  const out: Band[] = [];
  for (const band of bands) {
    if (band.to <= a || band.from >= b) {
      out.push(band);
      continue;
    }
    if (band.from < a) out.push({ ...band, to: a });
    out.push({ state, from: Math.max(band.from, a), to: Math.min(band.to, b) });
    if (band.to > b) out.push({ ...band, from: b });
  }
  return out;
}

function merge(bands: Band[]): Band[] {
  const out: Band[] = [];
  for (const b of bands) {
    const prev = out[out.length - 1];
    // Equal neighbouring states merge into one band.
    if (prev && prev.state === b.state && prev.to === b.from) prev.to = b.to;
    else out.push({ ...b });
  }
  return out;
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
  let bands: Band[] = [];
  for (let i = 0; i < points.length; i++) {
    const from = points[i].at;
    const to = Math.min(i + 1 < points.length ? points[i + 1].at : end, end);
    if (to > from) bands.push({ state: points[i].state, from, to });
  }
  for (const [a, b] of pauseSpans(s, end)) bands = overlay(bands, a, b, "paused");
  return merge(bands);
}

/** "!a" … "!f" for an "already exists" with a verdict, "!?" when the holder is unknown, "!" without a verdict. */
export function verdictLabel(v: FailureVerdict | null | undefined): string {
  return v ? `!${v.cause === "unknown" ? "?" : v.cause}` : "!";
}

const failureDetail = (code: number | null, msg: string | null, v: FailureVerdict | null | undefined) => `ZLM ${code ?? "?"}: ${msg ?? ""}${v ? ` — (${v.cause}) ${v.title}` : ""}`;

export function sessionMarkers(s: PortSession): Marker[] {
  if (s.state === "open_failed") {
    const v = s.failure?.verdict;
    return [{ kind: "open_failed", at: s.openedAt, label: verdictLabel(v), detail: failureDetail(s.failure?.code ?? null, s.failure?.msg ?? null, v) }];
  }
  const out: Marker[] = [{ kind: "open", at: s.openedAt }];
  if (s.firstMediaAt !== null) out.push({ kind: "first_media", at: s.firstMediaAt });
  if (s.timedOutAt !== null) out.push({ kind: "timeout", at: s.timedOutAt });
  if (s.closedAt !== null) out.push({ kind: "close", at: s.closedAt });
  if (s.releasedAt !== null) out.push(s.releaseConfirmedBy === "restart" ? { kind: "restart", at: s.releasedAt, detail: s.endCause ?? "node restarted" } : { kind: "release", at: s.releasedAt });
  for (const r of s.rejectedOpens ?? []) out.push({ kind: "open_failed", at: r.at, label: verdictLabel(r.verdict), detail: failureDetail(r.code, r.msg, r.verdict) });
  for (const a of s.actions ?? []) out.push({ kind: "action", at: a.at, detail: `${a.action}${a.outcome ? ` → ${a.outcome}` : " …"}${a.reason ? ` (“${a.reason}”)` : ""}` });
  return out;
}

export interface TimelineRow {
  id: string;
  /** The row's node (for node-wide marks such as restarts); absent on hand-made rows, then its sessions' node. */
  nodeId?: string;
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
      row = { id, nodeId: s.nodeId, label: mode === "key" ? stream : `port ${s.port ?? "?"}`, sublabel: mode === "key" ? `${s.nodeId} · ${s.key.split("/")[1]}` : `${s.nodeId}`, sessions: [], last: 0 };
      rows.set(id, row);
    }
    row.sessions.push(s);
    row.last = Math.max(row.last, s.lastEventAt);
  }
  return [...rows.values()].sort((a, b) => b.last - a.last || (a.id < b.id ? -1 : 1)).map(({ last: _last, ...r }) => r);
}

/** The session a row's actions act on: the live one, else the newest. */
export function rowSession(row: TimelineRow): PortSession | null {
  let newest: PortSession | null = null;
  for (const s of row.sessions) {
    if (LIVE_STATES.has(s.state)) return s;
    if (!newest || s.openedAt > newest.openedAt) newest = s;
  }
  return newest;
}

/** Node restarts seen in the sessions they ended (release confirmed by restart), per node, oldest first. */
export function nodeRestarts(sessions: PortSession[]): Map<string, number[]> {
  const out = new Map<string, Set<number>>();
  for (const s of sessions) {
    if (s.releaseConfirmedBy !== "restart" || s.releasedAt === null) continue;
    const set = out.get(s.nodeId) ?? new Set<number>();
    set.add(s.releasedAt);
    out.set(s.nodeId, set);
  }
  return new Map([...out].map(([n, set]) => [n, [...set].sort((a, b) => a - b)]));
}

/** The raw events behind a mark: the `count` events nearest to `t`, in log order. */
export function eventsNear(events: PortscopeEvent[], t: number, count = 6): PortscopeEvent[] {
  return [...events]
    .sort((a, b) => Math.abs(a.at - t) - Math.abs(b.at - t) || a.id - b.id)
    .slice(0, count)
    .sort((a, b) => a.id - b.id);
}

/** Rows in a remembered order (the order when the timeline stopped following), new rows after it: rows hold still while an operator reads them. */
export function keepRowOrder(rows: TimelineRow[], order: ReadonlyMap<string, number>): TimelineRow[] {
  const known = rows.filter((r) => order.has(r.id)).sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return [...known, ...rows.filter((r) => !order.has(r.id))];
}

/**
 * Following live: a row keeps its place while it lives (an operator about to
 * click it must not see it jump); rows that appeared since the last frame join
 * at the top, newest first as `rows` has them; rows gone leave.
 */
export function keepLiveRowOrder(rows: TimelineRow[], previous: readonly string[]): TimelineRow[] {
  const at = new Map(previous.map((id, i) => [id, i]));
  const known = rows.filter((r) => at.has(r.id)).sort((a, b) => at.get(a.id)! - at.get(b.id)!);
  return [...rows.filter((r) => !at.has(r.id)), ...known];
}
