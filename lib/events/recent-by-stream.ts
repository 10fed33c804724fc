import type { PortscopeEvent } from "./types";

/**
 * The last minute of events per stream id (any vhost/app), kept in memory from
 * the bus, so a diagnosis on the tap's hot path never queries the log. Only the
 * kinds asked for are kept (the runtime asks for what a diagnosis reads): every
 * hook's events pass through here, and keeping a minute of flow reports held
 * hundreds of thousands of payloads at a few thousand hooks a second.
 */
export class RecentByStream {
  private readonly byStream = new Map<string, PortscopeEvent[]>();
  private lastSweep = 0;

  constructor(
    private readonly windowMs = 60_000,
    private readonly kinds: ReadonlySet<string> | null = null,
    /** Past this many streams, streams silent for the window are forgotten (at most once per window/6). */
    private readonly maxStreams = 100_000,
  ) {}

  add(events: PortscopeEvent[]): void {
    for (const e of events) {
      if (!e.key || (this.kinds && !this.kinds.has(e.kind))) continue;
      const stream = streamOf(e.key);
      let list = this.byStream.get(stream);
      if (!list) this.byStream.set(stream, (list = []));
      list.push(e);
      while (list.length > 0 && e.at - list[0].at > this.windowMs) list.shift();
    }
    // Throttled: with more live streams than the limit, a sweep on every add scanned them all per hook.
    if (this.byStream.size > this.maxStreams) {
      const now = Date.now();
      if (now - this.lastSweep >= this.windowMs / 6) {
        this.lastSweep = now;
        this.sweep(now);
      }
    }
  }

  get(streamId: string, since: number): PortscopeEvent[] {
    return (this.byStream.get(streamId) ?? []).filter((e) => e.at >= since);
  }

  get size(): number {
    return this.byStream.size;
  }

  sweep(now: number): void {
    for (const [k, list] of this.byStream) if (list.length === 0 || now - list[list.length - 1].at > this.windowMs) this.byStream.delete(k);
  }
}

/** "vhost/app/stream" -> "stream" (a stream id may itself hold slashes). */
function streamOf(key: string): string {
  const a = key.indexOf("/");
  const b = a < 0 ? -1 : key.indexOf("/", a + 1);
  return b < 0 ? "" : key.slice(b + 1);
}
