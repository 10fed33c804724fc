import type { PortscopeEvent } from "./types";

/**
 * The last minute of events per stream id (any vhost/app), kept in memory from
 * the bus, so a diagnosis on the tap's hot path never queries the log.
 */
export class RecentByStream {
  private readonly byStream = new Map<string, PortscopeEvent[]>();

  constructor(private readonly windowMs = 60_000) {}

  add(events: PortscopeEvent[]): void {
    for (const e of events) {
      if (!e.key) continue;
      const stream = e.key.split("/").slice(2).join("/");
      const list = this.byStream.get(stream) ?? [];
      list.push(e);
      while (list.length > 0 && e.at - list[0].at > this.windowMs) list.shift();
      this.byStream.set(stream, list);
    }
    if (this.byStream.size > 100_000) this.sweep(Date.now());
  }

  get(streamId: string, since: number): PortscopeEvent[] {
    return (this.byStream.get(streamId) ?? []).filter((e) => e.at >= since);
  }

  sweep(now: number): void {
    for (const [k, list] of this.byStream) if (list.length === 0 || now - list[list.length - 1].at > this.windowMs) this.byStream.delete(k);
  }
}
