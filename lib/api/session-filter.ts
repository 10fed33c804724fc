/**
 * The one session filter: the read API's query, the SSE stream's rows, the
 * browser cache's placement of a pushed row and every view's search box all
 * decide "does this session belong here" with it. Browser-safe and pure.
 */
import { LIVE_STATES, type PortSession, type SessionState } from "../lifecycle/types";

export interface SessionFilters {
  node?: string;
  /** Exact `vhost/app/stream_id`. */
  key?: string;
  port?: number;
  state?: SessionState;
  /** A substring of the stream id (the key without vhost/app), case-insensitive. */
  stream?: string;
  /** Free search: a stream id substring, an SSRC in decimal or 0x-hex, or an exact port. */
  q?: string;
  /** Only sessions that may still hold their port (true), or only ended ones (false). */
  live?: boolean;
  /** Sessions whose life overlaps [from, to): live ones always overlap `from`. */
  from?: number;
  to?: number;
}

const streamPart = (key: string) => key.toLowerCase().split("/").slice(2).join("/");

/** A stream id substring, an SSRC in decimal or 0x-hex, or an exact port. */
export function searchMatcher(query: string): (s: PortSession) => boolean {
  const q = query.trim().toLowerCase();
  const hex = /^0x[0-9a-f]+$/.test(q) ? parseInt(q.slice(2), 16) : null;
  const dec = /^\d+$/.test(q) ? Number(q) : null;
  return (s) => streamPart(s.key).includes(q) || (hex !== null && s.ssrc === hex) || (dec !== null && (s.ssrc === dec || s.port === dec));
}

export function sessionMatcher(f: SessionFilters): (s: PortSession) => boolean {
  const search = f.q ? searchMatcher(f.q) : null;
  const needle = f.stream?.toLowerCase();
  return (s) => {
    if (f.node && s.nodeId !== f.node) return false;
    if (f.key && s.key !== f.key) return false;
    if (f.port !== undefined && s.port !== f.port) return false;
    if (f.state && s.state !== f.state) return false;
    if (f.to !== undefined && s.openedAt >= f.to) return false;
    const live = LIVE_STATES.has(s.state);
    if (f.from !== undefined && !live && (s.releasedAt ?? s.lastEventAt) < f.from) return false;
    if (f.live !== undefined && live !== f.live) return false;
    if (needle && !streamPart(s.key).includes(needle)) return false;
    return !search || search(s);
  };
}

/** Newest first, by the id of the event that opened the session (the order /api/sessions answers in). */
export function sessionOrder(a: PortSession, b: PortSession): number {
  return openedEventId(b) - openedEventId(a);
}

export function openedEventId(s: PortSession): number {
  return Number(s.id.slice(s.id.lastIndexOf("|") + 1));
}
