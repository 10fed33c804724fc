import "server-only";
import type { EventStore, NewEvent, PortscopeEvent } from "./types";
import type { EventBus } from "../live/bus";
import { Lifecycle } from "../lifecycle/reduce";
import { redactSecrets } from "../zlm/redact";

/** A store whose appends settle in the order they were made (SQLite's: one commit at a time, in queue order). */
type AssigningStore = EventStore & { appendAssigned(events: PortscopeEvent[]): Promise<void> };

/**
 * The single writer of the event log. Inputs are derived from the live model
 * and applied to it synchronously, so two hooks arriving together never both
 * claim the same transition; ids are assigned here in that same order.
 * Callers await durability (group commit) before acknowledging their source,
 * and the bus only ever sees batches that are on disk, each with the model
 * rows it changed (what browsers put in their caches).
 */
export class Pipeline {
  private nextId: number;

  private constructor(
    readonly store: AssigningStore,
    readonly bus: EventBus,
    readonly lifecycle: Lifecycle,
    lastId: number,
  ) {
    this.nextId = lastId + 1;
  }

  /** Rebuild the model from the whole stored log, then accept new input. */
  static async open(store: AssigningStore, bus: EventBus): Promise<Pipeline> {
    const lifecycle = new Lifecycle();
    let after = 0;
    for (;;) {
      const page = await store.query({ afterId: after, order: "asc", limit: 10_000 });
      for (const ev of page) lifecycle.apply(ev);
      if (page.length < 10_000) break;
      after = page[page.length - 1].id;
    }
    lifecycle.takeChanges(); // the rebuild is not news: browsers read it with /api/sessions
    return new Pipeline(store, bus, lifecycle, await store.lastId());
  }

  /**
   * Derive events from the model as it is now and append them in the same
   * step (normalisation and reconciliation must see no other input between
   * reading the model and writing to it).
   */
  appendFrom(derive: (model: Lifecycle) => NewEvent[]): Promise<PortscopeEvent[]> {
    return this.append(derive(this.lifecycle));
  }

  /** Assign ids, apply to the model now, resolve once durable and published. */
  append(events: NewEvent[]): Promise<PortscopeEvent[]> {
    if (events.length === 0) return Promise.resolve([]);
    // Hook events were redacted by normalizeHook already; everything else is redacted here.
    const assigned: PortscopeEvent[] = events.map((e) => ({ ...e, payload: e.source === "hook" ? e.payload : redactSecrets(e.payload), id: this.nextId++ }));
    for (const ev of assigned) this.lifecycle.apply(ev);
    const changes = this.lifecycle.takeChanges();
    // Appends settle in the order they were made, so publishing on each one's own settlement is commit
    // order: no chain through the previous batch (two promises fewer per hook at thousands a second).
    return this.store.appendAssigned(assigned).then(() => {
      this.bus.publish({ events: assigned, changes });
      return assigned;
    });
  }
}
