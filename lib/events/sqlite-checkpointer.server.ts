import "server-only";
import type Database from "better-sqlite3";
import { startDbWorker } from "./sqlite-worker.server";
import { checkpointerThread } from "./log-threads";

/** The checkpoint thread's side: log-threads.ts's function, run from its source with `db` open. */
const CHECKPOINTER_BODY = `(${checkpointerThread.toString()})(parentPort, db, workerData.intervalMs);`;

export interface Checkpointer {
  close(): Promise<void>;
}

/**
 * For the inline writer: SQLite's automatic WAL checkpoint runs inside a commit (every 1,000
 * pages) and was the longest stall of the event loop's commits (14-21 ms). This thread runs a
 * PASSIVE checkpoint every `intervalMs` on its own connection, which WAL allows while the main
 * connection commits; the main connection's automatic checkpoint is off only while it runs.
 */
export function startCheckpointer(db: Database.Database, opts: { file: string; busyTimeoutMs: number; intervalMs?: number; resolveFrom?: string; log?: (msg: string) => void }): Checkpointer {
  const log = opts.log ?? ((msg: string) => console.warn(msg));
  const worker = startDbWorker(CHECKPOINTER_BODY, { file: opts.file, busyTimeoutMs: opts.busyTimeoutMs, intervalMs: opts.intervalMs ?? 1000, resolveFrom: opts.resolveFrom });
  let closing = false;
  let closed: (() => void) | null = null;
  const backToAutomatic = (why: string) => {
    db.pragma("wal_autocheckpoint = 1000");
    if (!closing) log(`portscope: WAL checkpoint thread stopped (${why}); checkpoints run inside commits again`);
  };
  worker.on("message", (m: { ready?: boolean; error?: string; closed?: boolean }) => {
    if (m.ready) db.pragma("wal_autocheckpoint = 0");
    if (m.error) log(`portscope: WAL checkpoint failed: ${m.error}`);
    if (m.closed) closed?.();
  });
  worker.on("error", (err) => backToAutomatic(err.message));
  worker.on("exit", (code) => {
    if (!closing) backToAutomatic(`exit code ${code}`);
    closed?.();
  });
  return {
    async close() {
      if (closing) return;
      closing = true;
      const done = new Promise<void>((resolve) => (closed = resolve));
      worker.ref();
      worker.postMessage({ op: "close" });
      // At most 2 s for the last checkpoint; the timer goes with the close (a pending one held the process open).
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([done, new Promise((r) => (timer = setTimeout(r, 2000)))]);
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}
