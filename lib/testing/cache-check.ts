/**
 * A browser tab's session caches, kept by the browser's own code
 * (LiveSessionLists) from a running app's SSE stream, and compared with fresh
 * /api/sessions reads at quiet moments (when every page read and the tab's
 * stream stand at the same event id). Used by the integration test against the
 * demo and by bench/cache-consistency.ts for long runs.
 */
import { openSse } from "./sse-client";
import { LiveSessionLists, type SessionsData } from "../queries/session-cache";
import { queryKeys } from "../queries/keys";
import { STATE_FRAME, type StateFrame } from "../live/state-frame";
import type { SessionFilters } from "../api/session-filter";

export const CHECKED_FILTERS: SessionFilters[] = [{}, { live: true }, { live: false }, { node: "demo" }, { state: "receiving" }, { q: "0000001" }];

function query(f: SessionFilters): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== undefined) u.set(k, String(v));
  return u.toString();
}

/** Every page of /api/sessions for a filter, as fetchAllSessions reads them. */
export async function readAll(base: string, f: SessionFilters, headers: Record<string, string> = {}): Promise<SessionsData> {
  const get = async (offset: number) => (await (await fetch(`${base}/api/sessions?${query(f)}&limit=1000&offset=${offset}`, { headers })).json()) as SessionsData & { nextOffset: number | null };
  const first = await get(0);
  const sessions = [...first.sessions];
  for (let next = first.nextOffset; next !== null; ) {
    const page = await get(next);
    sessions.push(...page.sessions);
    next = page.nextOffset;
  }
  return { ...first, sessions, nextOffset: null };
}

export class CheckedTab {
  readonly cache = new Map<string, { key: readonly unknown[]; data: SessionsData | undefined }>();
  readonly lists = new LiveSessionLists({
    lists: () => [...this.cache.values()].map((e) => [e.key, e.data] as const),
    set: (key, data) => void this.cache.set(JSON.stringify(key), { key, data }),
  });
  lastEventId: number | null = null;
  /** The id of the last state frame: every batch ends with one on an unfiltered stream. */
  lastStateId: number | null = null;
  frames = 0;
  rows = 0;
  private sse: ReturnType<typeof openSse> | null = null;

  constructor(
    private readonly base: string,
    readonly filters: SessionFilters[] = CHECKED_FILTERS,
    /** A signed-in client's cookie (lib/testing/app-process.ts signIn). */
    private readonly headers: Record<string, string> = {},
  ) {}

  /** Opens the stream (with Last-Event-ID when it had one) and, like the provider on open, reads every list. */
  async connect(withLastEventId = false): Promise<void> {
    this.sse = openSse(`${this.base}/api/events`, withLastEventId ? this.lastEventId : null, (frame, id) => {
      if (id) this.lastEventId = Number(id);
      if (frame.event !== STATE_FRAME) return;
      const rows = (JSON.parse(frame.data) as StateFrame).sessions;
      if (id) this.lastStateId = Number(id);
      this.frames++;
      this.rows += rows.length;
      this.lists.put(this.lists.accept(Number(id || 0), rows));
    }, this.headers);
    await this.sse.ready;
    if (withLastEventId && this.lastEventId !== null) return; // the replay's state frame brings the rows
    await Promise.all(this.filters.map(async (f) => this.land(f, await readAll(this.base, f, this.headers))));
  }

  private land(f: SessionFilters, data: SessionsData): void {
    const key = queryKeys.sessions.list(f);
    this.cache.set(JSON.stringify(key), { key, data });
    this.lists.pageLanded(key, data);
  }

  disconnect(): void {
    this.sse?.close();
    this.sse = null;
  }

  list(f: SessionFilters): SessionsData | undefined {
    return this.cache.get(JSON.stringify(queryKeys.sessions.list(f)))?.data;
  }

  /**
   * Waits for a quiet moment and compares every list with a fresh read, row for
   * row. Returns the differences (empty when equal) and the event id compared at.
   */
  async compare(maxTries = 200): Promise<{ at: number; rows: number; differences: string[] }> {
    for (let i = 0; i < maxTries; i++) {
      const pages = await Promise.all(this.filters.map((f) => readAll(this.base, f, this.headers)));
      const at = pages[0].lastEventId ?? -1;
      if (pages.some((p) => p.lastEventId !== at)) continue; // the model moved between the reads
      for (let w = 0; w < 100 && (this.lastStateId ?? 0) < at; w++) await new Promise((r) => setTimeout(r, 20));
      if (this.lastStateId !== at || this.lastEventId !== at) continue; // the stream is already past the reads: try again
      const differences: string[] = [];
      this.filters.forEach((f, k) => {
        const mine = JSON.stringify(this.list(f)?.sessions ?? null);
        const fresh = JSON.stringify(pages[k].sessions);
        if (mine !== fresh) differences.push(`${JSON.stringify(f)}: cache ${this.list(f)?.sessions.length ?? "none"} rows, fresh read ${pages[k].sessions.length}; first difference ${firstDifference(this.list(f)?.sessions ?? [], pages[k].sessions)}`);
      });
      return { at, rows: pages[0].sessions.length, differences };
    }
    throw new Error(`no quiet moment in ${maxTries} tries`);
  }
}

function firstDifference(a: unknown[], b: unknown[]): string {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = JSON.stringify(a[i] ?? null);
    const y = JSON.stringify(b[i] ?? null);
    if (x !== y) return `at row ${i}: ${x.slice(0, 300)} vs ${y.slice(0, 300)}`;
  }
  return "none";
}
