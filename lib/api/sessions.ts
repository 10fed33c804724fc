/**
 * Read-side views over the lifecycle model and the log, shaped for the UI
 * and for support staff looking up one stream's history.
 */
import type { EventStore, PortscopeEvent } from "../events/types";
import type { Lifecycle } from "../lifecycle/reduce";
import type { PortSession } from "../lifecycle/types";
import type { SessionsQuery } from "./read-params";
import { sessionMatcher } from "./session-filter";


export interface SessionPage {
  sessions: PortSession[];
  total: number;
  offset: number;
  limit: number;
  nextOffset: number | null;
  generatedAt: number;
  /** The model's last applied event: a browser cache applies only state frames after it on top of this page. */
  lastEventId: number;
}

export function listSessions(lifecycle: Lifecycle, q: SessionsQuery, now: number): SessionPage {
  const rows = lifecycle.sessions(sessionMatcher(q));
  const page = rows.slice(q.offset, q.offset + q.limit);
  const next = q.offset + q.limit;
  return { sessions: page, total: rows.length, offset: q.offset, limit: q.limit, nextOffset: next < rows.length ? next : null, generatedAt: now, lastEventId: lifecycle.lastEventId };
}

/** The session's own events: its key on its node, from its opening event to its last. */
export async function sessionEvents(lifecycle: Lifecycle, store: Pick<EventStore, "query">, id: string): Promise<{ session: PortSession; events: PortscopeEvent[] } | null> {
  const session = lifecycle.session(id);
  if (!session) return null;
  const openedId = Number(id.split("|").pop());
  const events = await store.query({ nodeId: session.nodeId, key: session.key, afterId: Number.isFinite(openedId) ? openedId - 1 : 0, order: "asc", limit: 5000 });
  return { session, events: events.filter((e) => e.id <= session.lastEventId) };
}

