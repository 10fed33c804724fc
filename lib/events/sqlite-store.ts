import "server-only";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { inlineWriter, threadWriter, type EventWriter, type RowValue } from "./sqlite-writer.server";
import { startCheckpointer } from "./sqlite-checkpointer.server";
import type { EventQuery, EventStore, NewEvent, PortscopeEvent } from "./types";

/**
 * The default event log: one SQLite file in WAL mode. Appends are group
 * committed: everything queued within `groupCommitMs` goes in one
 * transaction, and each caller's promise resolves only after that commit, so
 * an acknowledged hook survives a crash of Portscope. In WAL mode
 * synchronous=NORMAL already makes a commit survive a process crash
 * (SIGKILL); FULL adds an fsync per commit so it also survives power loss or
 * a kernel crash, at about 0.4 ms p50 / 4 ms p99 per commit measured here.
 * Commits run in a writer thread with its own connection (sqlite-writer.server.ts);
 * this connection only reads, which WAL lets it do while the writer commits.
 */
const SCHEMA_VERSION = 1;
const MAX_LIMIT = 10_000;

/** Everything queued for one commit: its callers share one promise (one per batch, not per hook). */
interface Pending {
  events: PortscopeEvent[][];
  done: Promise<void>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

function newBatch(): Pending {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A failed commit rejects every caller's own chain; this one only keeps Node from calling it unhandled.
  done.catch(() => undefined);
  return { events: [], done, resolve, reject };
}

interface Row {
  id: number;
  at: number;
  node_id: string;
  kind: string;
  key: string | null;
  port: number | null;
  source: string;
  hook_index: number | null;
  payload: string;
}

export interface SqliteEventStore extends EventStore {
  /** Append events whose ids the single writer already assigned (strictly above lastId). */
  appendAssigned(events: PortscopeEvent[]): Promise<void>;
  readonly file: string;
  /** Who commits: see chooseWriter; "inline" also for :memory: and when the thread could not run. */
  readonly writer: "thread" | "inline";
}

export interface SqliteStoreOptions {
  groupCommitMs?: number;
  busyTimeoutMs?: number;
  synchronous?: "normal" | "full";
  /** "thread": commits in a worker thread; "inline": on the event loop; "auto" (default): see chooseWriter. */
  writer?: "auto" | "thread" | "inline";
  /** Where the writer thread resolves better-sqlite3 from (default: the working directory). */
  resolveWriterFrom?: string;
  /** Inline writer only: how often the checkpoint thread runs (default 1 s). */
  checkpointIntervalMs?: number;
}

export function openSqliteStore(file: string, opts: SqliteStoreOptions = {}): SqliteEventStore {
  // :memory: has one connection only, so no thread can share it.
  const onDisk = file !== ":memory:";
  const resolved = path.resolve(file);
  const busyTimeoutMs = opts.busyTimeoutMs ?? 5000;
  const synchronous = opts.synchronous === "full" ? "FULL" : "NORMAL";
  if (onDisk) fs.mkdirSync(path.dirname(resolved), { recursive: true });
  const db = new Database(file, { timeout: busyTimeoutMs });
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${synchronous}`);
  migrate(db);

  const writer: EventWriter =
    onDisk && chooseWriter(opts.writer ?? "auto", os.availableParallelism()) === "thread"
      ? threadWriter({ file: resolved, synchronous, busyTimeoutMs, resolveFrom: opts.resolveWriterFrom, fallback: () => inlineWriter(db) })
      : inlineWriter(db);
  // Commits on the event loop: their WAL checkpoints go to a thread of their own.
  const checkpointer = onDisk && writer.kind === "inline" ? startCheckpointer(db, { file: resolved, busyTimeoutMs, resolveFrom: opts.resolveWriterFrom, intervalMs: opts.checkpointIntervalMs }) : null;
  const maxId = db.prepare("SELECT COALESCE(MAX(id), 0) AS id FROM events");
  const seqId = db.prepare("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0) AS id");
  const minId = db.prepare("SELECT COALESCE(MIN(id), 0) AS id FROM events");

  // While one batch commits, the next grows behind it (group commit without a fixed wait). With the
  // thread writer a lone hook is then acked at once: ack p50 1.1-1.4 ms instead of 3.3-3.7 ms with a
  // 2 ms wait, for about 4% more CPU per hook at 1,000 hooks/s (bench/hook-ingest.ts, docs/performance.md).
  // Inline, each commit blocks the event loop, so a 2 ms wait still gathers hooks into fewer commits.
  const groupCommitMs = opts.groupCommitMs ?? (writer.kind === "thread" ? 0 : 2);
  let queue: Pending | null = null;
  let queued = 0;
  let timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  let closed = false;
  let writing = false;
  const idleWaiters: (() => void)[] = [];
  // Ids never go backwards, even after the newest rows are pruned.
  let lastAssigned = Math.max((maxId.get() as { id: number }).id, (seqId.get() as { id: number }).id);

  function flush(): void {
    if (timer) groupCommitMs > 0 ? clearTimeout(timer as NodeJS.Timeout) : clearImmediate(timer as NodeJS.Immediate);
    timer = null;
    // One commit at a time keeps the log in id order; the running one flushes what queued meanwhile.
    if (writing) return;
    const batch = queue;
    queue = null;
    queued = 0;
    if (batch === null) {
      for (const w of idleWaiters.splice(0)) w();
      return;
    }
    let rows: RowValue[];
    try {
      rows = toRows(batch);
    } catch (err) {
      batch.reject(err);
      return flush();
    }
    writing = true;
    writer.write(rows).then(
      () => committed(batch, null),
      (err: unknown) => committed(batch, err),
    );
  }

  function committed(batch: Pending, err: unknown): void {
    writing = false;
    if (err === null) batch.resolve();
    else batch.reject(err);
    flush();
  }

  /** Resolves once everything queued so far is committed (prune and close go behind it). */
  function drained(): Promise<void> {
    if (!writing && queue === null) return Promise.resolve();
    const done = new Promise<void>((resolve) => idleWaiters.push(resolve));
    flush();
    return done;
  }

  function enqueue(events: PortscopeEvent[]): Promise<void> {
    if (closed) return Promise.reject(new Error("event store is closed"));
    const batch = (queue ??= newBatch());
    batch.events.push(events);
    queued += events.length;
    if (queued >= 2000) flush();
    // 0 = commit once the current burst of I/O callbacks is processed: no fixed wait at low
    // rates, and batches grow by themselves under load.
    else timer ??= groupCommitMs > 0 ? setTimeout(flush, groupCommitMs) : setImmediate(flush);
    return batch.done;
  }

  return {
    file,
    appendAssigned(events) {
      if (events.length === 0) return Promise.resolve();
      for (const e of events) {
        if (!(e.id > lastAssigned)) return Promise.reject(new Error(`event id ${e.id} is not above the last id ${lastAssigned}`));
        lastAssigned = e.id;
      }
      return enqueue(events);
    },
    async append(events: NewEvent[]) {
      const stored = events.map((e) => ({ ...e, id: ++lastAssigned }));
      await enqueue(stored);
      return stored;
    },
    async query(q: EventQuery) {
      const where: string[] = [];
      const args: (string | number)[] = [];
      if (q.nodeId !== undefined) where.push("node_id = ?") && args.push(q.nodeId);
      if (q.key !== undefined) where.push("key = ?") && args.push(q.key);
      if (q.port !== undefined) where.push("port = ?") && args.push(q.port);
      if (q.kinds?.length) where.push(`kind IN (${q.kinds.map(() => "?").join(",")})`) && args.push(...q.kinds);
      if (q.from !== undefined) where.push("at >= ?") && args.push(q.from);
      if (q.to !== undefined) where.push("at < ?") && args.push(q.to);
      if (q.afterId !== undefined) where.push("id > ?") && args.push(q.afterId);
      if (q.throughId !== undefined) where.push("id <= ?") && args.push(q.throughId);
      const limit = Math.max(1, Math.min(q.limit ?? 1000, MAX_LIMIT));
      const sql = `SELECT * FROM events ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id ${q.order === "desc" ? "DESC" : "ASC"} LIMIT ${limit}`;
      return (db.prepare(sql).all(...args) as Row[]).map(toEvent);
    },
    async lastId() {
      // Committed ids only: the highest of what is stored and what the sequence has handed out.
      return Math.max((maxId.get() as { id: number }).id, (seqId.get() as { id: number }).id);
    },
    async firstId() {
      return (minId.get() as { id: number }).id;
    },
    async prune(before: number) {
      // Through the writer, after every batch queued before it.
      await drained();
      return writer.prune(before);
    },
    get writer() {
      return writer.kind;
    },
    async close() {
      if (closed) return;
      closed = true;
      await drained();
      await writer.close();
      await checkpointer?.close();
      db.close();
    },
  };
}

/**
 * The writer thread takes commits off the event loop but costs a message round trip per batch:
 * on the 2-core machines here it took ~30-40% more CPU per hook and up to a quarter of the hook
 * throughput (the load generator shares the cores), while it cut the tap's added p99 by 1-2 ms.
 * With 4 or more cores the thread has a core to run on; below that, commits stay inline.
 */
export function chooseWriter(asked: "auto" | "thread" | "inline", cores: number): "thread" | "inline" {
  if (asked !== "auto") return asked;
  return cores >= 4 ? "thread" : "inline";
}

function toRows(batch: Pending): RowValue[] {
  const rows: RowValue[] = [];
  for (const events of batch.events) for (const e of events) rows.push(e.id, e.at, e.nodeId, e.kind, e.key, e.port, e.source, e.hookIndex ?? null, JSON.stringify(e.payload));
  return rows;
}

function toEvent(r: Row): PortscopeEvent {
  return {
    id: r.id,
    at: r.at,
    nodeId: r.node_id,
    kind: r.kind as PortscopeEvent["kind"],
    key: r.key,
    port: r.port,
    source: r.source as PortscopeEvent["source"],
    hookIndex: r.hook_index,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
  };
}

function migrate(db: Database.Database): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version >= SCHEMA_VERSION) return;
  db.exec(`
    CREATE TABLE IF NOT EXISTS events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      at INTEGER NOT NULL,
      node_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      key TEXT,
      port INTEGER,
      source TEXT NOT NULL,
      hook_index INTEGER,
      payload TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS events_node_at ON events (node_id, at);
    CREATE INDEX IF NOT EXISTS events_key_at ON events (key, at) WHERE key IS NOT NULL;
    CREATE INDEX IF NOT EXISTS events_port_at ON events (port, at) WHERE port IS NOT NULL;
    CREATE INDEX IF NOT EXISTS events_at ON events (at);
    PRAGMA user_version = ${SCHEMA_VERSION};
  `);
}
