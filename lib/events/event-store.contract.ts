import { afterEach, beforeEach, expect, it } from "vitest";
import type { EventStore, NewEvent } from "./types";

/**
 * What every event log must do, whichever database holds it: one suite, run
 * against SQLite and PostgreSQL (event-store.test.ts). `open` opens the same
 * log again after a close (persistence); `reset` empties it between tests.
 */
export interface StoreUnderTest {
  open(): Promise<EventStore>;
  reset(): Promise<void>;
}

export const ev = (over: Partial<NewEvent> = {}): NewEvent => ({ at: 1000, nodeId: "n1", kind: "rtp.opened", key: "__defaultVhost__/rtp/s1", port: 30000, source: "poll", payload: { port: 30000, nested: { a: [1, "x"] }, text: "汉字 \"quoted\"" }, hookIndex: null, ...over });

export function eventStoreContract(subject: StoreUnderTest): void {
  let store: EventStore;
  beforeEach(async () => {
    await subject.reset();
    store = await subject.open();
  });
  afterEach(async () => {
    await store.close();
  });

  it("stores events with increasing ids and gives them back intact", async () => {
    const stored = await store.append([ev(), ev({ kind: "rtp.receiving", hookIndex: 7, source: "hook" })]);
    expect(stored.map((e) => e.id)).toEqual([1, 2]);
    expect(await store.query({})).toEqual(stored);
    expect(await store.lastId()).toBe(2);
    expect(await store.firstId()).toBe(1);
  });

  it("keeps text that SQL would mangle exactly as given: quotes, backslashes, a SQL comment, unicode", async () => {
    const nasty = "it's \\ a \\' trap'); DROP TABLE events; -- 汉字 \u00e9 \\x00 $1 $$";
    const [stored] = await store.append([ev({ nodeId: `n'${nasty}`, key: `__defaultVhost__/rtp/${nasty}`, payload: { [nasty]: nasty, list: [nasty, { deep: nasty }] } })]);
    const [back] = await store.query({ afterId: stored.id - 1 });
    expect(back).toEqual(stored);
    expect(back.payload[nasty]).toBe(nasty);
  });

  it("gives concurrent appends unique ids with no hole, each caller its own", async () => {
    const results = await Promise.all(Array.from({ length: 400 }, (_, i) => store.append([ev({ at: i }), ev({ at: i, kind: "rtp.receiving" })])));
    for (const r of results) expect(r[1].id).toBe(r[0].id + 1);
    const ids = results.flat().map((e) => e.id).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 800 }, (_, i) => i + 1));
    expect(await store.lastId()).toBe(800);
    expect((await store.query({ limit: 10_000 })).map((e) => e.id)).toEqual(ids);
  });

  it("filters by node, key, port, kinds, time range and id bounds, in either order, with a limit", async () => {
    await store.append([
      ev({ at: 100, nodeId: "a" }),
      ev({ at: 200, nodeId: "b", key: "__defaultVhost__/rtp/s2", port: 30002 }),
      ev({ at: 300, nodeId: "a", kind: "rtp.timed_out" }),
      ev({ at: 400, nodeId: "a", kind: "node.online", key: null, port: null }),
    ]);
    const ids = async (q: Parameters<EventStore["query"]>[0]) => (await store.query(q)).map((e) => e.id);
    expect(await ids({ nodeId: "a" })).toEqual([1, 3, 4]);
    expect(await ids({ key: "__defaultVhost__/rtp/s2" })).toEqual([2]);
    expect(await ids({ port: 30000 })).toEqual([1, 3]);
    expect(await ids({ kinds: ["rtp.timed_out", "node.online"] })).toEqual([3, 4]);
    expect(await ids({ from: 200, to: 400 })).toEqual([2, 3]);
    expect(await ids({ afterId: 2 })).toEqual([3, 4]);
    expect(await ids({ afterId: 1, throughId: 3 })).toEqual([2, 3]);
    expect(await ids({ order: "desc", limit: 2 })).toEqual([4, 3]);
    expect(await ids({ nodeId: "a", kinds: ["rtp.opened"], from: 50, to: 150 })).toEqual([1]);
    expect(await ids({ nodeId: "nobody" })).toEqual([]);
  });

  it("keeps what it stored across a close and reopen", async () => {
    const stored = await store.append([ev({ at: 1 }), ev({ at: 2, payload: { deep: { list: [1, 2, { x: null }] } } })]);
    await store.close();
    store = await subject.open();
    expect(await store.query({})).toEqual(stored);
    expect(await store.lastId()).toBe(2);
  });

  it("prunes only what is older than the cut-off and reports the first id left", async () => {
    await store.append([ev({ at: 1 }), ev({ at: 2 }), ev({ at: 3 })]);
    expect(await store.prune(3)).toBe(2);
    expect(await store.firstId()).toBe(3);
    expect((await store.query({})).map((e) => e.at)).toEqual([3]);
    expect(await store.prune(3)).toBe(0);
  });

  it("prunes in chunks past the chunk size, newest rows untouched", async () => {
    await store.append(Array.from({ length: 12_000 }, (_, i) => ev({ at: i })));
    expect(await store.prune(11_000)).toBe(11_000);
    expect(await store.firstId()).toBe(11_001);
    expect((await store.query({ limit: 10_000 })).length).toBe(1000);
  });

  it("never reuses an id, even after pruning everything and reopening", async () => {
    await store.append([ev({ at: 1 }), ev({ at: 2 })]);
    expect(await store.prune(10)).toBe(2);
    expect(await store.firstId()).toBe(0);
    await store.close();
    store = await subject.open();
    expect(await store.lastId()).toBe(2);
    const [next] = await store.append([ev({ at: 20 })]);
    expect(next.id).toBe(3);
  });

  it("rejects appends after close instead of dropping them", async () => {
    await store.close();
    await expect(store.append([ev()])).rejects.toThrow(/closed/);
    store = await subject.open();
    expect(await store.lastId()).toBe(0);
  });
}
