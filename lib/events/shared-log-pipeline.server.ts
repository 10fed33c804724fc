import "server-only";
import type { EventPipeline } from "./event-pipeline";
import type { NewEvent, PortscopeEvent } from "./types";
import type { HeadLock, PgEventStore } from "./pg-store.server";
import type { CommittedBatch, EventBus } from "../live/bus";
import { Lifecycle } from "../lifecycle/reduce";
import { redactSecrets } from "../zlm/redact";

/** The pause between one commit's end and the next one's start, unless a batch is full (see the class comment). */
const DEFAULT_COMMIT_EVERY_MS = 1;
const FULL_BATCH = 64;

interface Pending {
  derive: (model: Lifecycle) => NewEvent[];
  resolve: (events: PortscopeEvent[]) => void;
  reject: (err: unknown) => void;
}

/**
 * The writer of a log that several instances share (PostgreSQL). Each
 * instance folds the same ordered log into its own model: a commit first
 * applies whatever others committed since (read under the cluster-wide write
 * lock), then derives this instance's events from that up-to-date model, so
 * normalisation and reconciliation never decide on a stale view, and every
 * instance ends up with the same model. Other instances' commits arrive by
 * NOTIFY (the new head id) and are read by id, in order.
 *
 * What is queued while one commit runs goes in the next (group commit), and
 * a commit starts no sooner than `commitEveryMs` after the last one ended
 * unless its batch is full: a
 * PostgreSQL commit costs both processes two socket round trips whatever it
 * holds, and on a busy box hooks trickle in one at a time, so without the pace
 * every hook paid a commit of its own (about 1.7 events per commit under a
 * closed loop, against 3-5 with a 1 ms pace, and a third less CPU per hook).
 * A lone hook after a quiet spell is not held.
 */
export class SharedLogPipeline implements EventPipeline {
  readonly lifecycle = new Lifecycle();
  readonly store: EventPipeline["store"];
  /** Highest id applied from the committed log (what SSE and reads may serve). */
  private folded = 0;
  /** Highest head any notification told of. */
  private headSeen = 0;
  private queue: Pending[] = [];
  private busy = false;
  private closed = false;
  private idle: (() => void)[] = [];
  private stopListening: (() => Promise<void>) | null = null;
  private safety: NodeJS.Timeout | null = null;
  /** When the last commit ended (the pace counts from it). */
  private lastCommitAt = 0;

  private constructor(
    readonly log: PgEventStore,
    readonly bus: EventBus,
    private readonly commitEveryMs: number,
  ) {
    this.store = {
      // Never past what the model holds: a replay ends with the model's rows, so it must not run ahead of them.
      query: (q) => log.query({ ...q, throughId: Math.min(q.throughId ?? Number.MAX_SAFE_INTEGER, this.folded) }),
      lastId: async () => this.folded,
      firstId: () => log.firstId(),
    };
  }

  /** Fold the whole stored log, then follow other instances' commits. */
  static async open(log: PgEventStore, bus: EventBus, opts: { safetyPollMs?: number; commitEveryMs?: number } = {}): Promise<SharedLogPipeline> {
    const p = new SharedLogPipeline(log, bus, opts.commitEveryMs ?? DEFAULT_COMMIT_EVERY_MS);
    const head = await log.lastId();
    let after = 0;
    for (;;) {
      const page = await log.query({ afterId: after, throughId: head, order: "asc", limit: 10_000 });
      for (const ev of page) p.lifecycle.apply(ev);
      if (page.length < 10_000) break;
      after = page[page.length - 1].id;
    }
    p.lifecycle.takeChanges(); // the rebuild is not news: browsers read it with /api/sessions
    p.folded = head;
    p.headSeen = head;
    p.stopListening = await log.onCommit((id) => p.heard(id));
    // NOTIFY is reliable while the session lives; this catches anything a reconnect could hide.
    p.safety = setInterval(() => void log.lastId().then((id) => p.heard(id), () => undefined), opts.safetyPollMs ?? 5000);
    p.safety.unref?.();
    return p;
  }

  /** The highest id this instance has applied from the committed log. */
  get foldedId(): number {
    return this.folded;
  }

  appendFrom(derive: (model: Lifecycle) => NewEvent[]): Promise<PortscopeEvent[]> {
    if (this.closed) return Promise.reject(new Error("event pipeline is closed"));
    return new Promise((resolve, reject) => {
      this.queue.push({ derive, resolve, reject });
      this.pump();
    });
  }

  append(events: NewEvent[]): Promise<PortscopeEvent[]> {
    if (events.length === 0) return Promise.resolve([]);
    return this.appendFrom(() => events);
  }

  /** Resolves once nothing is queued or being committed, then stops following the log. */
  async close(): Promise<void> {
    if (this.busy) await new Promise<void>((r) => this.idle.push(r));
    this.closed = true;
    if (this.safety) clearInterval(this.safety);
    await this.stopListening?.();
  }

  private heard(headId: number): void {
    if (headId > this.headSeen) this.headSeen = headId;
    this.pump();
  }

  private pump(): void {
    if (this.busy || this.closed) return;
    if (this.queue.length === 0 && this.headSeen <= this.folded) return;
    this.busy = true;
    // Let the current burst of I/O callbacks queue up first: batches grow by themselves under load.
    const wait = this.paceWait();
    if (wait > 0) setTimeout(() => void this.drain(), wait);
    else setImmediate(() => void this.drain());
  }

  /** How long the next commit should wait for the pace (0: start now). */
  private paceWait(): number {
    if (this.queue.length === 0 || this.queue.length >= FULL_BATCH) return 0;
    return Math.max(0, this.lastCommitAt + this.commitEveryMs - Date.now());
  }

  private async drain(): Promise<void> {
    try {
      while (!this.closed && (this.queue.length > 0 || this.headSeen > this.folded)) {
        if (this.queue.length > 0) {
          const wait = this.paceWait();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          await this.commitQueued();
          this.lastCommitAt = Date.now();
        } else await this.catchUp();
      }
    } catch (err) {
      // A failed catch-up (database away) is retried by the safety poll; queued appends were rejected.
      console.error("portscope: reading the shared event log failed", err instanceof Error ? err.message : err);
    } finally {
      this.busy = false;
      for (const w of this.idle.splice(0)) w();
    }
  }

  private async catchUp(): Promise<void> {
    const head = this.headSeen;
    const page = await this.log.query({ afterId: this.folded, order: "asc", limit: 10_000 });
    if (page.length > 0) this.publish(this.fold(page));
    // A short page holds every committed id up to the head we were told of (ids left unused by a failed commit included).
    if (page.length < 10_000) this.folded = Math.max(this.folded, head);
  }

  private fold(events: PortscopeEvent[]): CommittedBatch {
    for (const ev of events) this.lifecycle.apply(ev);
    this.folded = events[events.length - 1].id;
    return { events, changes: this.lifecycle.takeChanges() };
  }

  private publish(batch: CommittedBatch | null): void {
    if (batch && batch.events.length > 0) this.bus.publish(batch);
  }

  /**
   * A commit whose outcome is unknown (the connection failed around COMMIT): if its events are in
   * the log it did commit; if nothing holds their ids yet, commit the very same events again (still
   * the next ids, so the order is kept). Retried while the database is away; false when another
   * instance has taken those ids meanwhile.
   */
  private async settleUncertain(own: PortscopeEvent[], tries = 8): Promise<boolean> {
    const first = own[0];
    for (let attempt = 0; attempt < tries && !this.closed; attempt++) {
      try {
        const [there] = await this.log.query({ afterId: first.id - 1, throughId: first.id, limit: 1 });
        if (there) return there.kind === first.kind && there.nodeId === first.nodeId && there.at === first.at;
        let taken = false;
        await this.log.commitAfter(null, (_newer, nextId) => {
          taken = nextId > first.id;
          return taken ? [] : own;
        });
        if (!taken) return true;
        return false;
      } catch {
        await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)));
      }
    }
    return false;
  }

  private async commitQueued(): Promise<void> {
    let held: HeadLock;
    try {
      held = await this.log.lock();
    } catch (err) {
      for (const p of this.queue.splice(0)) p.reject(err);
      return;
    }
    let remote: CommittedBatch | null = null;
    let own: PortscopeEvent[] = [];
    // Everything queued until the lock came goes in this commit (and what comes while others' commits are read).
    const batch = this.queue.splice(0);
    let results: (PortscopeEvent[] | { error: unknown })[] = [];
    try {
      const newer = await held.newer(this.folded);
      if (newer.length > 0) remote = this.fold(newer);
      batch.push(...this.queue.splice(0));
      // Above anything the model has seen, even ids a failed commit applied here but never stored.
      let id = Math.max(held.head + 1, this.lifecycle.lastEventId + 1);
      results = batch.map((p) => {
        try {
          // Hook events were redacted by normalizeHook already; everything else is redacted here. Shaped
          // as the log gives them back, so every instance publishes the very same events.
          const events = p.derive(this.lifecycle).map((e) => ({ ...e, hookIndex: e.hookIndex ?? null, payload: e.source === "hook" ? e.payload : redactSecrets(e.payload), id: id++ }));
          for (const ev of events) this.lifecycle.apply(ev);
          own.push(...events);
          return events;
        } catch (error) {
          return { error };
        }
      });
      await held.commit(own);
    } catch (err) {
      await held.abort();
      this.publish(remote);
      // Events already applied here must end up in the log, or this model is ahead of every other.
      if (own.length === 0 || !(await this.settleUncertain(own))) {
        if (own.length > 0) {
          this.lifecycle.takeChanges();
          console.error(`portscope: a commit to the shared event log failed after its ${own.length} events were applied here, and another instance has committed since; this instance's model differs from the log until it restarts`, err instanceof Error ? err.message : err);
        }
        for (const p of batch) p.reject(err);
        return;
      }
      remote = null;
    }
    this.publish(remote);
    if (own.length > 0) {
      this.folded = own[own.length - 1].id;
      this.publish({ events: own, changes: this.lifecycle.takeChanges() });
    }
    batch.forEach((p, i) => {
      const r = results[i];
      if (Array.isArray(r)) p.resolve(r);
      else p.reject(r.error);
    });
  }
}
