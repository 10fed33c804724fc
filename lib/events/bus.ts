import type { PortscopeEvent } from "./types";

export type EventListener = (events: PortscopeEvent[]) => void;

/**
 * In-process fan-out of committed events to SSE streams. Listeners get
 * batches in commit order; one failing listener never affects the others.
 */
export class EventBus {
  private readonly listeners = new Set<EventListener>();
  lastPublishedId = 0;

  publish(events: PortscopeEvent[]): void {
    if (events.length === 0) return;
    this.lastPublishedId = events[events.length - 1].id;
    for (const l of this.listeners) {
      try {
        l(events);
      } catch (err) {
        console.error("portscope: event listener failed", err);
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }
}

const KEY = Symbol.for("portscope.bus");
type Holder = { [KEY]?: EventBus };

/** The process-wide bus (Next evaluates modules twice, so it lives on globalThis). */
export function getBus(): EventBus {
  const g = globalThis as Holder;
  return (g[KEY] ??= new EventBus());
}
