import { afterEach, beforeEach, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openSqliteStore, type SqliteEventStore } from "../events/sqlite-store";
import { Pipeline } from "../events/pipeline.server";
import { EventBus } from "./bus";
import { createEventStream } from "./sse";
import { STATE_FRAME, type StateFrame } from "./state-frame";
import { listSessions } from "../api/sessions";
import type { SessionsQuery } from "../api/read-params";
import type { SessionFilters } from "../api/session-filter";
import { LiveSessionLists, type SessionsData } from "../queries/session-cache";
import { queryKeys } from "../queries/keys";
import { SEQUENCE_FILES, sequenceDriver } from "../testing/fixture-replay";
import { sseParser } from "../testing/sse-client";

/**
 * What a connected browser's session caches end with equals a fresh
 * /api/sessions read, row for row: the real pipeline (SQLite file, bus, SSE
 * stream) replays each recording of a real ZLM, and browser tabs keep their
 * lists with the browser's own code (LiveSessionLists): one connected from the
 * start, one that joins midway with a page that lands late, one that drops
 * and comes back with Last-Event-ID, one whose page lands after the last frame.
 */
const FILTERS: SessionFilters[] = [{}, { live: true }, { live: false }, { state: "released" }, { node: "ref" }, { q: "s" }, { stream: "race" }, { key: "__defaultVhost__/rtp/race_nodata" }, { from: 3_000 }, { to: 2_000 }];

let dir: string;
let store: SqliteEventStore;
let pipeline: Pipeline;
let bus: EventBus;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-cache-"));
  store = openSqliteStore(path.join(dir, "c.db"));
  bus = new EventBus();
  pipeline = await Pipeline.open(store, bus);
});
afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh read, as the route answers it (through JSON, like the browser gets it). */
function read(filters: SessionFilters): SessionsData {
  return JSON.parse(JSON.stringify(listSessions(pipeline.lifecycle, { ...filters, limit: 1_000_000, offset: 0 } as SessionsQuery, 0))) as SessionsData;
}

/** One browser tab: its cached lists (a Map standing for TanStack's cache) and its SSE connection. */
class Tab {
  readonly cache = new Map<string, { key: readonly unknown[]; data: SessionsData | undefined }>();
  readonly lists = new LiveSessionLists({
    lists: () => [...this.cache.values()].map((e) => [e.key, e.data] as const),
    set: (key, data) => void this.cache.set(JSON.stringify(key), { key, data }),
  });
  lastEventId: number | null = null;
  private abort: AbortController | null = null;
  private reading: Promise<void> | null = null;

  constructor() {
    for (const f of FILTERS) this.cache.set(JSON.stringify(queryKeys.sessions.list(f)), { key: queryKeys.sessions.list(f), data: undefined });
  }

  /** Fetches every list now; `land` delivers the answers (now, or later, as a slow fetch would). */
  fetchAll(): () => void {
    const pages = FILTERS.map((f) => [queryKeys.sessions.list(f), read(f)] as const);
    return () => {
      for (const [key, data] of pages) {
        this.cache.set(JSON.stringify(key), { key, data });
        this.lists.pageLanded(key, data);
      }
    };
  }

  connect(lastEventId: number | null): void {
    this.abort = new AbortController();
    const stream = createEventStream({ store: pipeline.store, bus, model: pipeline.lifecycle, lastEventId, flushMs: 2, signal: this.abort.signal });
    const feed = sseParser((frame, id) => {
      if (id) this.lastEventId = Number(id);
      if (frame.event === STATE_FRAME) this.lists.put(this.lists.accept(Number(id || 0), (JSON.parse(frame.data) as StateFrame).sessions));
    });
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    this.reading = (async () => {
      for (;;) {
        const r = await reader.read().catch(() => ({ done: true as const, value: undefined }));
        if (r.done) return;
        feed(decoder.decode(r.value, { stream: true }));
      }
    })();
  }

  async disconnect(): Promise<void> {
    this.abort?.abort();
    await this.reading;
  }

  list(f: SessionFilters): SessionsData | undefined {
    return this.cache.get(JSON.stringify(queryKeys.sessions.list(f)))?.data;
  }
}

const settle = () => new Promise((r) => setTimeout(r, 5));

async function caughtUp(tabs: Tab[]): Promise<void> {
  const last = await store.lastId();
  for (let i = 0; i < 400 && tabs.some((t) => (t.lastEventId ?? 0) < last); i++) await settle();
  for (const t of tabs) expect(t.lastEventId, "the tab's stream reached the last event").toBe(last);
}

/** Recordings with timed steps (the others are tallies of repeated runs). */
const TIMED = SEQUENCE_FILES.filter((f) => sequenceDriver(f, { appendFrom: () => undefined }).steps > 0);
const withSessions = new Set<string>();

describe("the browser's session caches end equal to a fresh read", () => {
  it("replays most recordings into sessions", () => {
    expect(TIMED.length).toBeGreaterThanOrEqual(10);
  });
  for (const file of TIMED) {
    it(file, async () => {
      const driver = sequenceDriver(file, pipeline);
      const fromStart = new Tab();
      fromStart.fetchAll()();
      fromStart.connect(null);
      const joiner = new Tab();
      const dropper = new Tab();
      const slowPage = new Tab(); // its pages are read near the end and land after the last frame
      slowPage.connect(null);
      let landSlow: (() => void) | null = null;
      dropper.fetchAll()();
      dropper.connect(null);
      await settle();
      const third = Math.floor(driver.steps / 3);
      let landLate: (() => void) | null = null;
      let lastWrite: Promise<unknown> = Promise.resolve();
      const sink = pipeline.appendFrom.bind(pipeline);
      // Every write so far (an empty append resolves at once, before an earlier one has committed).
      pipeline.appendFrom = (derive) => {
        const write = sink(derive);
        lastWrite = Promise.all([lastWrite, write]);
        return write;
      };
      for (let i = 0; i < driver.steps; i++) {
        driver.step(i);
        if (i % 7 === 0) await lastWrite.then(settle);
        if (i === third) {
          // Joins midway: the stream opens, its pages are read now but land a few steps later.
          await lastWrite;
          joiner.connect(null);
          landLate = joiner.fetchAll();
        }
        if (i === third + 5 && landLate) landLate();
        if (i === Math.max(0, driver.steps - 6)) {
          await lastWrite;
          landSlow = slowPage.fetchAll();
        }
        if (i === Math.floor(driver.steps / 2)) {
          await lastWrite.then(settle);
          await dropper.disconnect();
        }
        if (i === Math.floor((driver.steps * 3) / 4)) {
          // Back with Last-Event-ID (a tab that never got an id reads its pages again, as the provider does on open).
          dropper.connect(dropper.lastEventId);
          if (dropper.lastEventId === null) dropper.fetchAll()();
        }
      }
      if (landLate && third + 5 >= driver.steps) landLate();
      await lastWrite;
      await caughtUp([fromStart, joiner, dropper, slowPage]);
      landSlow?.();
      if (pipeline.lifecycle.sessions().length > 0) withSessions.add(file);
      for (const [name, tab] of Object.entries({ fromStart, joiner, dropper, slowPage })) {
        for (const f of FILTERS) {
          const fresh = read(f);
          const cached = tab.list(f);
          if (JSON.stringify(cached?.sessions) !== JSON.stringify(fresh.sessions)) console.log(file, name, JSON.stringify(f), JSON.stringify(cached?.sessions), "\nFRESH", JSON.stringify(fresh.sessions));
          expect(cached?.sessions, `${name} ${JSON.stringify(f)}`).toEqual(fresh.sessions);
          expect(cached?.total).toBe(fresh.total);
        }
      }
      await Promise.all([fromStart, joiner, dropper, slowPage].map((t) => t.disconnect()));
    });
  }
  it("the recordings made sessions to compare", () => {
    expect(withSessions.size).toBeGreaterThanOrEqual(8);
  });
});
