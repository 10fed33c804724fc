import "server-only";
import type Database from "better-sqlite3";
import { startDbWorker } from "./sqlite-worker.server";
import { eventLogOps, writerThread, type LogDb, type RowValue, type ThreadReply } from "./log-threads";

/**
 * Who commits the event log's batches. Measured with bench/tap-overhead.ts, a
 * commit on the event loop took 0.15 ms at p50, 1 ms at p99 and up to 14-21 ms
 * (most likely the commits that ran SQLite's WAL checkpoint), and every tapped
 * call or hook that arrived meanwhile waited. The thread writer commits on its
 * own SQLite connection in a worker thread; the event loop only copies rows
 * into a message. The inline writer commits on the event loop: for `:memory:`
 * databases (one connection only), machines with few cores (sqlite-store.ts
 * chooseWriter), and when the thread cannot start.
 */
export interface EventWriter {
  readonly kind: "thread" | "inline";
  /** Rows flattened, ROW_WIDTH values each, in column order; resolves once committed. */
  write(rows: RowValue[]): Promise<void>;
  /** Deletes events older than `before` (epoch ms), in chunks; resolves with how many went. */
  prune(before: number): Promise<number>;
  close(): Promise<void>;
}

export type { RowValue };
export const ROW_WIDTH = 9;

export function inlineWriter(db: Database.Database): EventWriter {
  const ops = eventLogOps(db as unknown as LogDb, ROW_WIDTH);
  return {
    kind: "inline",
    async write(rows) {
      ops.writeRows(rows);
    },
    async prune(before) {
      return ops.prune(before);
    },
    async close() {},
  };
}

/** The writer thread's side: log-threads.ts's functions, run from their source with `db` open. */
const WRITER_BODY = `(${writerThread.toString()})(parentPort, db, workerData.synchronous, (${eventLogOps.toString()})(db, ${ROW_WIDTH}));`;

type Op = { op: "write"; rows: RowValue[] } | { op: "prune"; before: number } | { op: "close" };

interface InFlight {
  op: Op;
  resolve: (value: number) => void;
  reject: (err: Error) => void;
}

export interface ThreadWriterOptions {
  file: string;
  synchronous: "NORMAL" | "FULL";
  busyTimeoutMs: number;
  resolveFrom?: string;
  /** Takes over when the thread cannot start (before it wrote anything), so no event is lost. */
  fallback: () => EventWriter;
  log?: (msg: string) => void;
}

export function threadWriter(opts: ThreadWriterOptions): EventWriter {
  const log = opts.log ?? ((msg: string) => console.warn(msg));
  // Unref'd while idle; ref'd while work is in flight, so a pending commit keeps the process alive.
  const worker = startDbWorker(WRITER_BODY, { file: opts.file, synchronous: opts.synchronous, busyTimeoutMs: opts.busyTimeoutMs, resolveFrom: opts.resolveFrom });
  const inFlight = new Map<number, InFlight>();
  let seq = 0;
  let ready = false;
  let closing = false;
  let replacement: EventWriter | null = null;

  worker.on("message", (m: ThreadReply) => {
    if (m.ready) return void (ready = true);
    const job = m.seq === undefined ? undefined : inFlight.get(m.seq);
    if (!job || m.seq === undefined) return;
    inFlight.delete(m.seq);
    if (inFlight.size === 0) worker.unref();
    if (m.ok) job.resolve(m.value ?? 0);
    else job.reject(new Error(`event log write failed: ${m.message ?? "unknown error"}`));
  });
  const onDeath = (why: string) => {
    if (closing && inFlight.size === 0) return;
    const jobs = [...inFlight.values()];
    inFlight.clear();
    replacement = opts.fallback();
    if (!ready) {
      // Nothing was written by the thread: the same jobs run inline, in order.
      log(`portscope: event log writer thread did not start (${why}); writing on the main thread`);
      for (const j of jobs) run(replacement, j.op).then(j.resolve, j.reject);
    } else {
      // A batch may or may not have committed: its callers get the error, as with a failed disk write.
      log(`portscope: event log writer thread stopped (${why}); writing on the main thread from now on`);
      for (const j of jobs) j.reject(new Error(`event log writer stopped: ${why}`));
    }
  };
  worker.on("error", (err) => onDeath(err.message));
  worker.on("exit", (code) => {
    if (!replacement) onDeath(`exit code ${code}`);
  });

  function send(op: Op): Promise<number> {
    if (replacement) return run(replacement, op);
    return new Promise<number>((resolve, reject) => {
      const n = ++seq;
      if (inFlight.size === 0) worker.ref();
      inFlight.set(n, { op, resolve, reject });
      worker.postMessage({ ...op, seq: n });
    });
  }

  return {
    get kind() {
      return replacement ? replacement.kind : "thread";
    },
    async write(rows) {
      await send({ op: "write", rows });
    },
    prune: (before) => send({ op: "prune", before }),
    async close() {
      if (replacement) return replacement.close();
      closing = true;
      await send({ op: "close" });
      await worker.terminate();
    },
  };
}

async function run(w: EventWriter, op: Op): Promise<number> {
  if (op.op === "write") return w.write(op.rows).then(() => 0);
  if (op.op === "prune") return w.prune(op.before);
  return w.close().then(() => 0);
}
