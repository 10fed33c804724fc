import type { PortscopeEvent } from "../events/types";

/**
 * Reads the event log back to check the shield's promise: it never closed a
 * server that had media. For every holder a `shield.decision` says it closed,
 * the log is searched for media on that key between the holder's open and
 * the decision (on_publish counts: packets had arrived, even if not yet
 * registered). Independent of the shield's own view of "has media".
 */
export interface LiveClose {
  key: string;
  port: number;
  decisionAt: number;
  mediaEvent: string;
}

const MEDIA = new Set(["rtp.receiving", "stream.registered", "stream.publish"]);

export function liveServersClosedByShield(events: PortscopeEvent[]): LiveClose[] {
  const byKey = new Map<string, PortscopeEvent[]>();
  for (const e of events) if (e.key) byKey.set(e.key, [...(byKey.get(e.key) ?? []), e]);
  const out: LiveClose[] = [];
  for (const [key, list] of byKey) {
    list.sort((a, b) => a.at - b.at || a.id - b.id);
    list.forEach((d, i) => {
      if (d.kind !== "shield.decision") return;
      const closed = Array.isArray(d.payload.closed) ? (d.payload.closed as { port?: unknown }[]) : [];
      for (const c of closed) {
        const port = Number(c.port);
        // The holder's life: from the last open of that port (or the last release) up to the decision.
        let start = 0;
        for (let j = i - 1; j >= 0; j--) {
          const e = list[j];
          if ((e.kind === "rtp.opened" && e.port === port) || e.kind === "rtp.released") {
            start = j;
            break;
          }
        }
        const media = list.slice(start, i).find((e) => MEDIA.has(e.kind));
        if (media) out.push({ key, port, decisionAt: d.at, mediaEvent: `${media.kind} #${media.id}` });
      }
    });
  }
  return out;
}

/** How often each decision was taken, "kept: ..." and "adopted ..." alike, with the numbers taken out. */
export function decisionCounts(events: PortscopeEvent[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events) {
    if (e.kind !== "shield.decision") continue;
    const d = String(e.payload.decision).replace(/\d+/g, "N");
    out[d] = (out[d] ?? 0) + 1;
  }
  return out;
}
