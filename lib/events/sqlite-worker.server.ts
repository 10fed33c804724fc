import "server-only";
import path from "node:path";
import { Worker } from "node:worker_threads";

/**
 * The worker threads of the event log (writer, checkpointer) each open the
 * log's file on their own connection. Their code is the typed, self-contained
 * functions of log-threads.ts, run from their source with `eval`: an eval'd
 * source needs no bundling, so it runs the same under Next and vitest.
 * `db`, `parentPort` and `workerData` are in scope for `body`.
 */
const OPEN_DB = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require("node:module").createRequire(workerData.resolveFrom)("better-sqlite3");
const db = new Database(workerData.file, { timeout: workerData.busyTimeoutMs });
`;

export interface DbWorkerData {
  file: string;
  busyTimeoutMs: number;
  /** Where better-sqlite3 is resolved from (default: the working directory, as `next start` and vitest run there). */
  resolveFrom?: string;
  [more: string]: unknown;
}

/** Starts `body` in a worker with the database open; unref'd, so an idle thread never keeps the process alive. */
export function startDbWorker(body: string, data: DbWorkerData): Worker {
  const worker = new Worker(OPEN_DB + body, { eval: true, workerData: { ...data, resolveFrom: data.resolveFrom ?? path.join(process.cwd(), "package.json") } });
  worker.unref();
  return worker;
}
