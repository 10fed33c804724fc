/**
 * Puts server-sent session rows into a cached /api/sessions answer. The rows
 * are the server model's own (lib/live/state-frame.ts); this module applies no
 * lifecycle rule: a row replaces the cached row with its id when it is at
 * least as new (lastEventId), joins the list when the query's filter takes it
 * (lib/api/session-filter.ts, the filter the server used), and leaves it when
 * the filter no longer does. Pure, tested against fresh reads.
 */
import { openedEventId, sessionMatcher, type SessionFilters } from "../api/session-filter";
import type { PortSession } from "../lifecycle/types";

export interface SessionsData {
  sessions: PortSession[];
  total: number;
  nextOffset: number | null;
  generatedAt: number;
  /** The server model's last event when the page was read (frames up to it are already in it). */
  lastEventId?: number;
}

export function applySessionRows<T extends SessionsData>(data: T, rows: readonly PortSession[], filters: SessionFilters): T {
  if (rows.length === 0) return data;
  const matches = sessionMatcher(filters);
  let list: PortSession[] | null = null;
  let index: Map<string, number> | null = null;
  let inserted = false;
  const current = () => list ?? data.sessions;
  const positions = () => (index ??= new Map(current().map((s, i) => [s.id, i])));
  for (const row of rows) {
    const at = positions().get(row.id);
    const cached = at === undefined ? undefined : current()[at];
    if (cached && cached.lastEventId > row.lastEventId) continue; // an older copy of a row we have newer
    if (matches(row)) {
      if (cached === row) continue;
      list ??= [...data.sessions];
      if (at === undefined) {
        positions().set(row.id, list.length);
        list.push(row);
        inserted = true;
      } else list[at] = row;
    } else if (at !== undefined) {
      list ??= [...data.sessions];
      list.splice(at, 1);
      index = null;
    }
  }
  if (!list) return data;
  if (inserted) list.sort((a, b) => openedEventId(b) - openedEventId(a));
  return { ...data, sessions: list, total: data.total + (list.length - data.sessions.length) };
}

/**
 * The state frames of the last while, to lay again over a page that was read
 * before they came, and the newest version seen of each row: a copy older than
 * one already seen is dropped even when the newer one took the row out of a
 * list (a frame may be encoded before a replay's and arrive after it).
 */
export class RecentFrames {
  private frames: { id: number; rows: PortSession[] }[] = [];
  private readonly newest = new Map<string, number>();

  constructor(private readonly max = 2000) {}

  /** Records a frame; returns its rows that are not older than a copy already seen. */
  accept(id: number, rows: readonly PortSession[]): PortSession[] {
    const fresh = rows.filter((r) => r.lastEventId >= (this.newest.get(r.id) ?? -1));
    for (const r of fresh) {
      this.newest.delete(r.id); // re-insert: the map's order is "least recently changed first"
      this.newest.set(r.id, r.lastEventId);
    }
    if (this.newest.size > this.max * 50) for (const id of [...this.newest.keys()].slice(0, this.newest.size - this.max * 25)) this.newest.delete(id);
    if (fresh.length > 0) this.frames.push({ id, rows: fresh });
    if (this.frames.length > this.max) this.frames.splice(0, this.frames.length - this.max);
    return fresh;
  }

  /** The newest copies of the rows sent in frames after `eventId` (all that are kept when the page does not say). */
  after(eventId: number | undefined): PortSession[] {
    const out: PortSession[] = [];
    for (const f of this.frames) if (eventId === undefined || f.id > eventId) for (const r of f.rows) if (this.newest.get(r.id) === r.lastEventId) out.push(r);
    return out;
  }
}

/** Where the cached session lists live: TanStack's query cache in the browser, a Map in tests. */
export interface SessionListStore {
  lists(): Iterable<readonly [readonly unknown[], SessionsData | undefined]>;
  set(key: readonly unknown[], data: SessionsData): void;
}

/** A list's filter, from its query key (queryKeys.sessions.list(filters)). */
export const filtersOfKey = (key: readonly unknown[]) => (key[2] ?? {}) as SessionFilters;

/**
 * Every cached session list of one tab, kept equal to what a fresh read would
 * give: state frames' rows are laid on each list, and a page that lands (a
 * fetch that started before some frames) gets those frames laid over it again.
 */
export class LiveSessionLists {
  private readonly frames = new RecentFrames();

  constructor(private readonly store: SessionListStore) {}

  /** A state frame arrived: its rows that are not stale (put them with `put`, now or batched). */
  accept(frameId: number, rows: readonly PortSession[]): PortSession[] {
    return this.frames.accept(frameId, rows);
  }

  put(rows: PortSession[]): void {
    if (rows.length === 0) return;
    for (const [key, data] of this.store.lists()) {
      if (!data || !Array.isArray(data.sessions)) continue;
      const next = applySessionRows(data, rows, filtersOfKey(key));
      if (next !== data) this.store.set(key, next);
    }
  }

  /** A fetched page replaced a list: lay the frames it had not seen over it. */
  pageLanded(key: readonly unknown[], data: SessionsData): void {
    if (!Array.isArray(data.sessions)) return;
    const next = applySessionRows(data, this.frames.after(data.lastEventId), filtersOfKey(key));
    if (next !== data) this.store.set(key, next);
  }
}
