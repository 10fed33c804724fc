import type { PortscopeEvent } from "../events/types";
import type { ModelChanges } from "../lifecycle/model";

/** One committed batch: its events in id order, and what they changed in the lifecycle model. */
export interface CommittedBatch {
  events: PortscopeEvent[];
  changes: ModelChanges;
}

export type BatchListener = (batch: CommittedBatch) => void;

/**
 * In-process fan-out of committed batches to SSE streams and other readers.
 * Listeners get batches in commit order; one failing listener never affects
 * the others. The runtime owns the one instance (Portscope.bus); nothing
 * reaches it through a global.
 */
export class EventBus {
  private readonly listeners = new Set<BatchListener>();
  /** Listeners that are browser streams (what /metrics reports as SSE clients). */
  private readonly streams = new Set<BatchListener>();
  lastPublishedId = 0;

  publish(batch: CommittedBatch): void {
    if (batch.events.length === 0) return;
    this.lastPublishedId = batch.events[batch.events.length - 1].id;
    for (const l of this.listeners) {
      try {
        l(batch);
      } catch (err) {
        console.error("portscope: event listener failed", err);
      }
    }
  }

  subscribe(listener: BatchListener, opts: { stream?: boolean } = {}): () => void {
    this.listeners.add(listener);
    if (opts.stream) this.streams.add(listener);
    return () => {
      this.streams.delete(listener);
      return this.listeners.delete(listener);
    };
  }

  /** Open SSE streams (listeners subscribed with `stream: true`). */
  get streamCount(): number {
    return this.streams.size;
  }

  get size(): number {
    return this.listeners.size;
  }
}
