import { afterEach, beforeEach, expect, it } from "vitest";
import pg from "pg";
import { COMMIT_CHANNEL, PEERS_CHANNEL, openPgStore, type PgEventStore } from "./pg-store.server";
import { SharedLogPipeline } from "./shared-log-pipeline.server";
import { EventBus, type CommittedBatch } from "../live/bus";
import { createEventStream } from "../live/sse";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/pg-test-db";
import { describePg } from "@/lib/testing/describe-pg";
import type { NewEvent, PortscopeEvent } from "./types";

/** Two instances on one PostgreSQL log, in one process: what each commits, the other folds, in the same order. */
const open = (key: string, over: Partial<NewEvent> = {}): NewEvent => ({ at: 1000, nodeId: "zlm-1", kind: "rtp.opened", key: `__defaultVhost__/rtp/${key}`, port: 30000, source: "tap", payload: { port: 30000 }, ...over });

async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describePg("shared event log (PostgreSQL, two instances)", () => {
  let db: TestDatabase;
  let stores: PgEventStore[] = [];
  let pipes: SharedLogPipeline[] = [];
  const seen = new Map<SharedLogPipeline, PortscopeEvent[]>();

  async function instance(wrap: (s: PgEventStore) => PgEventStore = (s) => s, commitEveryMs?: number): Promise<SharedLogPipeline> {
    const opened = await openPgStore(db.url);
    const store = wrap(opened);
    const bus = new EventBus();
    const p = await SharedLogPipeline.open(store, bus, { safetyPollMs: 60_000, commitEveryMs });
    const got: PortscopeEvent[] = [];
    bus.subscribe((b: CommittedBatch) => got.push(...b.events));
    seen.set(p, got);
    stores.push(opened);
    pipes.push(p);
    return p;
  }

  beforeEach(async () => {
    db = await createTestDatabase();
    stores = [];
    pipes = [];
  });
  afterEach(async () => {
    for (const p of pipes) await p.close();
    for (const s of stores) await s.close();
    await db?.drop();
  });

  it("delivers A's commits to B's bus in id order, and both models agree", async () => {
    const a = await instance();
    const b = await instance();
        const written = await Promise.all(Array.from({ length: 50 }, (_, i) => a.append([open(`s${i}`, { port: 30000 + 2 * i })])));
    const last = written.flat().at(-1)!.id;
    await until(() => b.foldedId >= last, "B to fold A's commits");
    const ids = seen.get(b)!.map((e) => e.id);
    expect(ids).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(seen.get(b)).toEqual(written.flat());
    expect(b.lifecycle.snapshot()).toEqual(a.lifecycle.snapshot());
  });

  it("orders concurrent writers into one log with no hole: every instance publishes the same sequence", async () => {
    const a = await instance();
    const b = await instance();
        const writes = Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).append([open(`c${i}`, { port: 31000 + 2 * i }), open(`c${i}`, { kind: "rtp.receiving", source: "hook" })]));
    const last = Math.max(...(await Promise.all(writes)).flat().map((e) => e.id));
    expect(last).toBe(400);
    await until(() => a.foldedId >= last && b.foldedId >= last, "both to fold everything");
    const expected = Array.from({ length: 400 }, (_, i) => i + 1);
    expect(seen.get(a)!.map((e) => e.id)).toEqual(expected);
    expect(seen.get(b)!.map((e) => e.id)).toEqual(expected);
    expect(seen.get(a)).toEqual(seen.get(b));
    expect(a.lifecycle.snapshot()).toEqual(b.lifecycle.snapshot());
  });

  it("derives each batch from a model that already holds every earlier commit of any instance", async () => {
    const a = await instance();
    const b = await instance();
    // Each derive records the last id its model held: under the write lock that is always the id just before its own.
    const derive = (p: SharedLogPipeline, i: number) => p.appendFrom((model) => [open(`d${i}`, { payload: { sawLastId: model.lastEventId } })]);
    const stored = (await Promise.all(Array.from({ length: 100 }, (_, i) => derive(i % 3 ? a : b, i)))).flat();
    for (const e of stored) expect(e.payload.sawLastId).toBe(e.id - 1);
  });

  it("replays after Last-Event-ID on the other instance, then goes on live, with no gap or repeat", async () => {
    const a = await instance();
    const b = await instance();
    const first = await a.append([open("r1"), open("r2"), open("r3")]);
    await until(() => b.foldedId >= first[2].id, "B to fold the first batch");
    const ctrl = new AbortController();
    const stream = createEventStream({ store: b.store, bus: b.bus, lastEventId: first[0].id, model: b.lifecycle, signal: ctrl.signal, flushMs: 1 });
    const reader = stream.getReader();
    const later = await a.append([open("r4"), open("r5")]);
    let text = "";
    const dec = new TextDecoder();
    while (!text.includes(`id: ${later[1].id}\n`)) text += dec.decode((await reader.read()).value);
    ctrl.abort();
    const ids = [...text.matchAll(/^id: (\d+)\nevent: rtp/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual([first[1].id, first[2].id, later[0].id, later[1].id]);
  });

  it("starts a new instance from the whole log, equal to the ones that wrote it", async () => {
    const a = await instance();
    await a.append([open("n1"), open("n1", { kind: "rtp.receiving", source: "hook" }), open("n2", { port: 30010 })]);
    const late = await instance();
    expect(late.foldedId).toBe(a.foldedId);
    expect(late.lifecycle.snapshot()).toEqual(a.lifecycle.snapshot());
  });

  /** A store whose next commit fails once: after committing (the answer lost), or with the events applied but never sent. */
  const failingOnce = (mode: "after-commit" | "before-commit", delayMs = 0) => (s: PgEventStore): PgEventStore => {
    let armed = false;
    return {
      ...s,
      lock: async () => {
        const held = await s.lock();
        if (!armed) return held;
        armed = false;
        return {
          head: held.head,
          newer: (after: number) => held.newer(after),
          abort: () => held.abort(),
          commit: async (events: PortscopeEvent[]) => {
            // Slow to fail, so that more appends queue (and ask for the next lock) meanwhile.
            await new Promise((r) => setTimeout(r, delayMs));
            if (mode === "after-commit") await held.commit(events);
            else await held.abort();
            throw new Error("connection terminated unexpectedly");
          },
        };
      },
      arm: () => (armed = true),
    } as PgEventStore & { arm(): void };
  };

  it.each(["after-commit", "before-commit"] as const)("settles a commit whose outcome was lost (%s): the events applied here end up in the log once, and the other instance gets them", async (mode) => {
    let store: (PgEventStore & { arm(): void }) | null = null;
    const a = await instance((s) => (store = failingOnce(mode)(s) as PgEventStore & { arm(): void }));
    const b = await instance();
    await a.append([open("u0")]);
    store!.arm();
    const [ev] = await a.append([open("u1")]);
    const after = await a.append([open("u2")]);
    await until(() => b.foldedId >= after[0].id, "B to fold");
    const log = await stores[1].query({ afterId: 0 });
    expect(log.map((e) => e.key)).toEqual(["u0", "u1", "u2"].map((k) => `__defaultVhost__/rtp/${k}`));
    expect(log[1].id).toBe(ev.id);
    expect(seen.get(a)!.map((e) => e.id)).toEqual(log.map((e) => e.id));
    expect(seen.get(b)!.map((e) => e.id)).toEqual(log.map((e) => e.id));
    expect(b.lifecycle.snapshot()).toEqual(a.lifecycle.snapshot());
  });

  it.each(["after-commit", "before-commit"] as const)("settles a lost commit (%s) while more appends queue behind it: every append lands once, in order", async (mode) => {
    let store: (PgEventStore & { arm(): void }) | null = null;
    const a = await instance((s) => (store = failingOnce(mode, 150)(s) as PgEventStore & { arm(): void }));
    const b = await instance();
    await a.append([open("v0")]);
    store!.arm();
    const failing = a.append([open("v1")]);
    await new Promise((r) => setTimeout(r, 50)); // v1's commit is in flight
    const queued = [2, 3, 4].map((i) => a.append([open(`v${i}`)]));
    const all = [...(await failing), ...(await Promise.all(queued)).flat()];
    await until(() => b.foldedId >= all.at(-1)!.id, "B to fold");
    const log = await stores[1].query({ afterId: 0 });
    expect(log.map((e) => e.key)).toEqual([0, 1, 2, 3, 4].map((i) => `__defaultVhost__/rtp/v${i}`));
    expect(log.slice(1).map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(seen.get(b)!.map((e) => e.id)).toEqual(log.map((e) => e.id));
    expect(b.lifecycle.snapshot()).toEqual(a.lifecycle.snapshot());
  });

  it("paces commits under a stream of appends: they share commits, and each batch is still derived after the one before", async () => {
    let commits = 0;
    const counted = (s: PgEventStore): PgEventStore => ({
      ...s,
      lock: async () => {
        const held = await s.lock();
        return { ...held, head: held.head, commit: (events: PortscopeEvent[]) => (commits++, held.commit(events)) };
      },
    });
    // A 20 ms pace (1 ms by default) so that the count does not hang on this machine's speed.
    const a = await instance(counted, 20);
    const derive = (i: number) => a.appendFrom((model) => [open(`p${i}`, { payload: { sawLastId: model.lastEventId } })]);
    const stored: PortscopeEvent[] = [];
    // One append every 2 ms or more for 30 appends: unpaced, each one whose commit ended before the next came took a commit of its own.
    const started = Date.now();
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 30; i++) {
      writes.push(derive(i).then((e) => void stored.push(...e)));
      await new Promise((r) => setTimeout(r, 2));
    }
    await Promise.all(writes);
    // At most one commit per 20 ms (plus the first at once and the last).
    expect(commits).toBeLessThanOrEqual(Math.floor((Date.now() - started) / 20) + 2);
    expect(commits).toBeLessThan(30);
    for (const e of stored) expect(e.payload.sawLastId).toBe(e.id - 1);
    expect(stored.map((e) => e.id).sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it("follows the log again after its LISTEN session is killed: reconnects and catches up what it missed", async () => {
    const a = await instance();
    const b = await instance();
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'portscope-listen' AND datname = current_database()");
      // Committed while B has no LISTEN session: only the reconnect's catch-up can bring these.
      const missed = await a.append([open("m1"), open("m2")]);
      await until(() => b.foldedId >= missed[1].id, "B to catch up after reconnecting");
      const later = await a.append([open("m3")]);
      await until(() => b.foldedId >= later[0].id, "B to hear commits again");
      expect(seen.get(b)!.map((e) => e.id)).toEqual([...missed, ...later].map((e) => e.id));
    } finally {
      await admin.end();
    }
  });
});

describePg("shared event log: NOTIFY only while another instance listens", () => {
  let db: TestDatabase;
  const closers: (() => Promise<void>)[] = [];
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
    await db?.drop();
  });

  async function instance(opts: Parameters<typeof openPgStore>[1] = {}) {
    const store = await openPgStore(db.url, opts);
    const bus = new EventBus();
    // The safety poll is far off: whatever another instance folds within these tests came by NOTIFY.
    const pipe = await SharedLogPipeline.open(store, bus, { safetyPollMs: 60_000 });
    let open = true;
    const close = async () => {
      if (!open) return;
      open = false;
      await pipe.close();
      await store.close();
    };
    closers.push(close);
    return { store, pipe, close };
  }

  /** A bare LISTEN session (no announcement of its own): what notifications commits send. */
  async function eavesdrop() {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const heads: number[] = [];
    c.on("notification", (n) => {
      if (n.channel === COMMIT_CHANNEL) heads.push(Number(n.payload));
    });
    await c.query(`LISTEN ${COMMIT_CHANNEL}`);
    closers.push(() => c.end());
    return { heads, say: (payload: string) => c.query(`NOTIFY ${PEERS_CHANNEL}, '${payload}'`) };
  }

  /** Long enough for a notification sent at COMMIT to arrive on loopback. */
  const settle = () => new Promise((r) => setTimeout(r, 300));

  it("a lone instance commits without NOTIFY; with a second one following, each commit notifies and the second folds it; after it leaves, no NOTIFY again", async () => {
    const ear = await eavesdrop();
    const a = await instance();
    await a.pipe.append([open("l1")]);
    await settle();
    expect(a.store.listeningPeers()).toBe(0);
    expect(ear.heads).toEqual([]);

    const b = await instance();
    await until(() => a.store.listeningPeers() === 1 && b.store.listeningPeers() === 1, "A and B to hear of each other");
    const [ev] = await a.pipe.append([open("l2")]);
    await until(() => b.pipe.foldedId >= ev.id, "B to fold A's commit");
    expect(ear.heads).toEqual([ev.id]);

    await b.close();
    await until(() => a.store.listeningPeers() === 0, "A to hear B leave");
    await a.pipe.append([open("l3")]);
    await settle();
    expect(ear.heads).toEqual([ev.id]);
  });

  it("counts a peer that stops saying it is there only for the TTL", async () => {
    const ear = await eavesdrop();
    const a = await instance({ peerTtlMs: 600 });
    await ear.say("here 00000000-peer-that-dies");
    await until(() => a.store.listeningPeers() === 1, "A to hear the peer");
    const [ev] = await a.pipe.append([open("t1")]);
    await until(() => ear.heads.includes(ev.id), "A's commit to notify while the peer is fresh");
    await until(() => a.store.listeningPeers() === 0, "the peer to expire", 5000);
    await a.pipe.append([open("t2")]);
    await settle();
    expect(ear.heads).toEqual([ev.id]);
  });

  it("reads the head again on hearing of a peer it did not know, so commits that peer made before hearing of it (without NOTIFY) still arrive", async () => {
    const b = await instance();
    // A writer that follows nothing knows of no peer, so its commit notifies no one: like an instance
    // whose commit was built before it heard B join.
    const silent = await openPgStore(db.url);
    closers.push(() => silent.close());
    const [ev] = await silent.append([open("j1")]);
    await settle();
    expect(b.pipe.foldedId).toBeLessThan(ev.id);
    const ear = await eavesdrop();
    await ear.say("here 00000000-unseen-writer");
    await until(() => b.pipe.foldedId >= ev.id, "B to read the head again", 5000);
  });
});
