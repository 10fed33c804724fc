import "server-only";
import type { EventStore, NewEvent, PortscopeEvent } from "../events/types";
import type { EventBus } from "../events/bus";
import { Lifecycle } from "../lifecycle/reduce";
import { normalizeHook } from "./normalize-hook";
import { reconcile, type ReconcileInput } from "./reconcile";
import { redactSecrets } from "./redact-payload";

/**
 * The single writer of the event log. Inputs are normalised against the live
 * model and applied to it synchronously, so two hooks arriving together never
 * both claim the same transition; ids are assigned here in that same order.
 * Callers await durability (group commit) before acknowledging their source,
 * and the bus only ever sees events that are on disk.
 */
export class Pipeline {
  private nextId: number;
  private committed: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly store: EventStore & { appendAssigned(events: PortscopeEvent[]): Promise<void> },
    readonly bus: EventBus,
    readonly lifecycle: Lifecycle,
    lastId: number,
  ) {
    this.nextId = lastId + 1;
  }

  /** Rebuild the model from the whole stored log, then accept new input. */
  static async open(store: EventStore & { appendAssigned(events: PortscopeEvent[]): Promise<void> }, bus: EventBus): Promise<Pipeline> {
    const lifecycle = new Lifecycle();
    let after = 0;
    for (;;) {
      const page = await store.query({ afterId: after, order: "asc", limit: 10_000 });
      for (const ev of page) lifecycle.apply(ev);
      if (page.length < 10_000) break;
      after = page[page.length - 1].id;
    }
    return new Pipeline(store, bus, lifecycle, await store.lastId());
  }

  /** Assign ids, apply to the model now, resolve once durable and published. */
  append(events: NewEvent[]): Promise<PortscopeEvent[]> {
    if (events.length === 0) return Promise.resolve([]);
    // Hook events were redacted by normalizeHook already; everything else is redacted here.
    const assigned: PortscopeEvent[] = events.map((e) => ({ ...e, payload: e.source === "hook" ? e.payload : redactSecrets(e.payload), id: this.nextId++ }));
    for (const ev of assigned) this.lifecycle.apply(ev);
    const durable = this.store.appendAssigned(assigned);
    // Publish strictly in commit order, even if a later batch's promise settles first.
    const published = Promise.all([this.committed, durable]).then(() => {
      this.bus.publish(assigned);
      return assigned;
    });
    this.committed = published.catch(() => undefined);
    return published;
  }

  ingestHook(input: { nodeId: string; hook: string; body: Record<string, unknown>; at: number; extra?: Record<string, unknown> }): Promise<PortscopeEvent[]> {
    const events = normalizeHook({ nodeId: input.nodeId, hook: input.hook, body: input.body, at: input.at }, this.lifecycle);
    if (input.extra) {
      const extra = redactSecrets(input.extra);
      for (const ev of events) ev.payload = { ...ev.payload, ...extra };
    }
    return this.append(events);
  }

  ingestPoll(input: ReconcileInput): Promise<PortscopeEvent[]> {
    return this.append(reconcile(input, this.lifecycle));
  }
}
