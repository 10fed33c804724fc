/**
 * Read-side views over the lifecycle model and the log, shaped for the UI
 * and for support staff looking up one stream's history.
 */
import type { EventStore, PortscopeEvent } from "../events/types";
import type { Lifecycle } from "../lifecycle/reduce";
import { LIVE_STATES, type PortSession } from "../lifecycle/types";
import type { SessionsQuery } from "./read-params";


export interface SessionPage {
  sessions: PortSession[];
  total: number;
  offset: number;
  limit: number;
  nextOffset: number | null;
  generatedAt: number;
}

export function listSessions(lifecycle: Lifecycle, q: SessionsQuery, now: number): SessionPage {
  let rows = lifecycle.sessions({ nodeId: q.node, key: q.key, port: q.port, state: q.state, from: q.from, to: q.to });
  if (q.stream) {
    const needle = q.stream.toLowerCase();
    rows = rows.filter((s) => s.key.toLowerCase().split("/").slice(2).join("/").includes(needle));
  }
  if (q.q) rows = rows.filter(searchMatcher(q.q));
  if (q.live !== undefined) rows = rows.filter((s) => LIVE_STATES.has(s.state) === q.live);
  const page = rows.slice(q.offset, q.offset + q.limit);
  const next = q.offset + q.limit;
  return { sessions: page, total: rows.length, offset: q.offset, limit: q.limit, nextOffset: next < rows.length ? next : null, generatedAt: now };
}

/** The session's own events: its key on its node, from its opening event to its last. */
export async function sessionEvents(lifecycle: Lifecycle, store: EventStore, id: string): Promise<{ session: PortSession; events: PortscopeEvent[] } | null> {
  const session = lifecycle.session(id);
  if (!session) return null;
  const openedId = Number(id.split("|").pop());
  const events = await store.query({ nodeId: session.nodeId, key: session.key, afterId: Number.isFinite(openedId) ? openedId - 1 : 0, order: "asc", limit: 5000 });
  return { session, events: events.filter((e) => e.id <= session.lastEventId) };
}

/** A stream id substring, an SSRC in decimal or 0x-hex, or an exact port. */
export function searchMatcher(query: string): (s: PortSession) => boolean {
  const q = query.trim().toLowerCase();
  const hex = /^0x[0-9a-f]+$/.test(q) ? parseInt(q.slice(2), 16) : null;
  const dec = /^\d+$/.test(q) ? Number(q) : null;
  return (s) =>
    s.key.toLowerCase().split("/").slice(2).join("/").includes(q) || (hex !== null && s.ssrc === hex) || (dec !== null && (s.ssrc === dec || s.port === dec));
}
