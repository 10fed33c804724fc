/**
 * The code of the event log's worker threads (writer, checkpointer) and the
 * SQL both writers share, typed. A worker runs a function's own source
 * (startDbWorker passes `fn.toString()` to an eval'd worker: no bundling, the
 * same under Next and vitest), so every function here is self-contained: it
 * may use its parameters and globals only, nothing from module scope.
 */

/** The part of better-sqlite3's Database the log uses. */
export interface LogDb {
  prepare(sql: string): { run(...params: unknown[]): { changes: number } };
  transaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
  pragma(source: string): unknown;
  close(): unknown;
}

/** A worker's end of its message port (node:worker_threads parentPort). */
export interface ThreadPort {
  on(event: "message", listener: (m: ThreadMessage) => void): unknown;
  postMessage(m: ThreadReply): void;
  close(): void;
}

export type RowValue = string | number | null;
export type ThreadMessage = { seq: number; op: "write"; rows: RowValue[] } | { seq: number; op: "prune"; before: number } | { seq?: number; op: "close" };
export interface ThreadReply {
  seq?: number;
  ok?: boolean;
  value?: number;
  message?: string;
  ready?: boolean;
  closed?: boolean;
  error?: string;
}

export interface LogOps {
  /** Rows flattened, `rowWidth` values each, in column order, in one transaction. */
  writeRows(rows: RowValue[]): void;
  /** Deletes events older than `before` (epoch ms) in chunks of 5,000; returns how many went. */
  prune(before: number): number;
}

/** The inserts and the pruning, for the inline writer and the writer thread alike. */
export function eventLogOps(db: LogDb, rowWidth: number): LogOps {
  const insert = db.prepare("INSERT INTO events (id, at, node_id, kind, key, port, source, hook_index, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  const pruneChunk = db.prepare("DELETE FROM events WHERE id IN (SELECT id FROM events WHERE at < ? ORDER BY id LIMIT 5000)");
  const writeRows = db.transaction((rows: RowValue[]) => {
    for (let i = 0; i < rows.length; i += rowWidth) insert.run(rows.slice(i, i + rowWidth));
  });
  return {
    writeRows,
    prune(before) {
      let total = 0;
      for (;;) {
        const n = pruneChunk.run(before).changes;
        total += n;
        if (n < 5000) return total;
      }
    },
  };
}

/** The writer thread: commits what the main thread sends, one message at a time, and says so. */
export function writerThread(port: ThreadPort, db: LogDb, synchronous: string, ops: LogOps): void {
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${synchronous}`);
  port.on("message", (m) => {
    try {
      if (m.op === "write") {
        ops.writeRows(m.rows);
        port.postMessage({ seq: m.seq, ok: true });
      } else if (m.op === "prune") {
        port.postMessage({ seq: m.seq, ok: true, value: ops.prune(m.before) });
      } else if (m.op === "close") {
        db.close();
        port.postMessage({ seq: m.seq, ok: true });
        port.close();
      }
    } catch (err) {
      port.postMessage({ seq: m.seq, ok: false, message: String((err instanceof Error && err.message) || err) });
    }
  });
  port.postMessage({ ready: true });
}

/** The checkpoint thread: a PASSIVE WAL checkpoint every `intervalMs` on its own connection, one more at close. */
export function checkpointerThread(port: ThreadPort, db: LogDb, intervalMs: number): void {
  const checkpoint = () => {
    try {
      db.pragma("wal_checkpoint(PASSIVE)");
    } catch (err) {
      port.postMessage({ error: String((err instanceof Error && err.message) || err) });
    }
  };
  const timer = setInterval(checkpoint, intervalMs);
  port.on("message", (m) => {
    if (m.op !== "close") return;
    clearInterval(timer);
    checkpoint();
    db.close();
    port.postMessage({ closed: true });
    port.close();
  });
  port.postMessage({ ready: true });
}
