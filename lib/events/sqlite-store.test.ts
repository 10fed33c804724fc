import { afterEach, beforeEach, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { chooseWriter, openSqliteStore, type SqliteEventStore } from "./sqlite-store";
import type { NewEvent } from "./types";

let dir: string;
let file: string;
let store: SqliteEventStore;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-store-"));
  file = path.join(dir, "nested", "events.db");
  store = openSqliteStore(file);
});
afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ev = (over: Partial<NewEvent> = {}): NewEvent => ({ at: 1000, nodeId: "n1", kind: "rtp.opened", key: "__defaultVhost__/rtp/s1", port: 30000, source: "poll", payload: { port: 30000, nested: { a: [1, "x"] } }, hookIndex: null, ...over });

/** What only the SQLite log does; what every log does is in event-store.contract.ts. */
describe("SQLite event log", () => {
  it("commits many concurrent appends in few transactions, every id unique and stored", async () => {
    const results = await Promise.all(Array.from({ length: 5000 }, (_, i) => store.append([ev({ at: i })])));
    const ids = results.flat().map((e) => e.id);
    expect(new Set(ids).size).toBe(5000);
    expect(await store.lastId()).toBe(5000);
    expect((await store.query({ limit: 10_000 })).length).toBe(5000);
  });

  it("refuses pre-assigned ids that go backwards, without storing them", async () => {
    await store.appendAssigned([{ ...ev(), id: 10 }]);
    await expect(store.appendAssigned([{ ...ev(), id: 10 }])).rejects.toThrow(/not above/);
    expect((await store.query({})).map((e) => e.id)).toEqual([10]);
  });

  it("commits in a writer thread when asked: a second connection sees the rows once append resolves", async () => {
    await store.close();
    store = openSqliteStore(file, { writer: "thread" });
    expect(store.writer).toBe("thread");
    await store.append([ev({ at: 5 }), ev({ at: 6 })]);
    const other = new Database(file, { readonly: true });
    try {
      expect((other.prepare("SELECT id, at FROM events ORDER BY id").all() as { id: number; at: number }[]).map((r) => r.at)).toEqual([5, 6]);
    } finally {
      other.close();
    }
  });

  it.each(["thread", "inline"] as const)("finishes every queued write before close, in order, and keeps prune behind earlier appends (%s writer)", async (writer) => {
    await store.close();
    store = openSqliteStore(file, { writer });
    const pending = Array.from({ length: 300 }, (_, i) => store.append([ev({ at: i })]));
    const pruned = store.prune(100);
    await store.close();
    await Promise.all(pending);
    expect(await pruned).toBe(100);
    store = openSqliteStore(file);
    const left = await store.query({ limit: 1000 });
    expect(left.map((e) => e.at)).toEqual(Array.from({ length: 200 }, (_, i) => i + 100));
  });

  it("writes on the main thread, losing nothing, when the writer thread cannot start", async () => {
    await store.close();
    const logged: string[] = [];
    const warn = console.warn;
    console.warn = (msg: string) => logged.push(msg);
    try {
      store = openSqliteStore(file, { writer: "thread", resolveWriterFrom: path.join(dir, "nowhere", "package.json") });
      const stored = await Promise.all([store.append([ev({ at: 1 })]), store.append([ev({ at: 2 })])]);
      expect(stored.flat().map((e) => e.id)).toEqual([1, 2]);
      expect(store.writer).toBe("inline");
      expect((await store.query({})).map((e) => e.at)).toEqual([1, 2]);
      expect(logged.join("\n")).toMatch(/writer thread did not start/);
    } finally {
      console.warn = warn;
    }
  });

  it("chooses the writer thread by itself only with 4 or more cores", () => {
    expect(chooseWriter("auto", 2)).toBe("inline");
    expect(chooseWriter("auto", 4)).toBe("thread");
    expect(chooseWriter("thread", 2)).toBe("thread");
    expect(chooseWriter("inline", 16)).toBe("inline");
  });

  it("checkpoints the WAL from its own thread when commits run inline", async () => {
    await store.close();
    fs.rmSync(file, { force: true });
    store = openSqliteStore(file, { writer: "inline", checkpointIntervalMs: 50 });
    expect(store.writer).toBe("inline");
    const sizeBefore = fs.statSync(file).size;
    // ~60 pages: far below SQLite's own 1,000-page checkpoint, so only the thread moves them into the file.
    await store.append(Array.from({ length: 200 }, (_, i) => ev({ at: i, payload: { pad: "x".repeat(1000) } })));
    const deadline = Date.now() + 5000;
    while (fs.statSync(file).size <= sizeBefore && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(fs.statSync(file).size).toBeGreaterThan(sizeBefore + 100_000);
    expect((await store.query({ limit: 1000 })).length).toBe(200);
  });

  it("keeps :memory: logs on the main thread (one connection only)", async () => {
    const mem = openSqliteStore(":memory:");
    expect(mem.writer).toBe("inline");
    await mem.append([ev()]);
    expect((await mem.query({})).length).toBe(1);
    await mem.close();
  });
});
