/**
 * The event log on SQLite beside PostgreSQL, in one run, on the built app:
 * hook ingest (closed loop, persisted events/s: every ack follows a commit)
 * and hook -> SSE latency at a fixed rate, for one SQLite instance, one
 * PostgreSQL instance, and two PostgreSQL instances (hooks to A, SSE on B).
 * A bare node:http server that parses JSON and appends to a file is the
 * yardstick, under the same load, every request on a new connection.
 *
 *   npx next build && TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *     npx tsx bench/scale-out.ts [seconds=5] [rate=500] [concurrency=32]
 *
 * TEST_DATABASE_URL names a server where the bench may create (and then drops) a database.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { startApp, type AppProcess } from "../lib/testing/app-process";
import { createTestDatabase } from "../lib/testing/pg-test-db";
import { closedLoop, fixedRate, hookBody, logHead, percentile } from "./load";
import { startEmulatorProcess } from "./emulator-process";
import { runMain } from "./run-main";
import { startBare } from "./bare-process";
import { wrkClosedLoop, wrkInstalled } from "./wrk";

const seconds = Number(process.argv[2] ?? 5);
const rate = Number(process.argv[3] ?? 500);
const concurrency = Number(process.argv[4] ?? 32);
const root = path.resolve(__dirname, "..");
if (!fs.existsSync(path.join(root, ".next/BUILD_ID"))) {
  console.error("build the app first: npx next build");
  process.exit(1);
}
if (!process.env.TEST_DATABASE_URL) {
  console.error("set TEST_DATABASE_URL to a PostgreSQL server where this bench may create a database");
  process.exit(1);
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-scalebench-"));
let seq = 0;
// The closed loop: wrk (a C client) when installed, else 32 Node clients, which cap well below what the servers take here.
const useWrk = wrkInstalled();

/** Persisted hooks per second under the closed loop, counted by `count` (the log's head, or the bare server's lines). */
async function maxThroughput(url: URL, count: () => Promise<number>): Promise<number> {
  const before = await count();
  const started = performance.now();
  if (useWrk) wrkClosedLoop(url, concurrency, seconds);
  else await closedLoop(url, concurrency, seconds, () => hookBody(seq++));
  const elapsed = (performance.now() - started) / 1000;
  return ((await count()) - before) / (useWrk ? seconds : elapsed);
}

/** One SSE client; records hook-send -> arrival for every event carrying bench_sent_at. */
function sseLatency(url: string, headers: Record<string, string>): Promise<{ latencies: number[]; close: () => void }> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { ...headers, accept: "text/event-stream" } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`SSE ${res.statusCode}`));
      res.setEncoding("utf8");
      let buf = "";
      res.on("data", (chunk: string) => {
        buf += chunk;
        const now = Date.now();
        let idx: number;
        while ((idx = buf.indexOf("\n\n")) >= 0) {
          const m = /"bench_sent_at":(\d+)/.exec(buf.slice(0, idx));
          buf = buf.slice(idx + 2);
          if (m) latencies.push(now - Number(m[1]));
        }
      });
      resolve({ latencies, close: () => req.destroy() });
    });
    req.on("error", reject);
  });
}

const headOf = (app: AppProcess) => logHead(app.url);

interface Figures {
  name: string;
  persistedPerSec: number;
  ackP50: number;
  ackP99: number;
  sseP50: number;
  sseP99: number;
  sseSeen: number;
  sseSent: number;
}

/** `ingest` takes the hooks; `watch` serves the SSE client (the same instance, or another on the shared log). */
async function measure(name: string, ingest: AppProcess, watch: AppProcess): Promise<Figures> {
  const url = new URL(`http://127.0.0.1:${ingest.zlmPort}/api/hooks/on_flow_report?token=benchtoken1`);
  await fixedRate(url, 500, 2, () => hookBody(seq++)); // warm-up: JIT, page cache, pools
  const persisted = await maxThroughput(url, () => headOf(ingest));
  const viewer = await watch.signInAs("viewer");
  const sse = await sseLatency(`${watch.url}/api/events`, viewer.headers);
  await new Promise((r) => setTimeout(r, 300));
  const load = await fixedRate(url, rate, seconds, () => hookBody(seq++, { bench_sent_at: Date.now() }));
  await new Promise((r) => setTimeout(r, 1000));
  sse.close();
  return {
    name,
    persistedPerSec: persisted,
    ackP50: percentile(load.latenciesMs, 50),
    ackP99: percentile(load.latenciesMs, 99),
    sseP50: percentile(sse.latencies, 50),
    sseP99: percentile(sse.latencies, 99),
    sseSeen: sse.latencies.length,
    sseSent: load.ok,
  };
}

// A failed run must not leave servers behind on the box (they would load the next run).
const apps: AppProcess[] = [];
process.on("exit", () => {
  for (const a of apps) a.child.kill("SIGKILL");
});
async function launch(env: Record<string, string>, opts?: Parameters<typeof startApp>[1]): Promise<AppProcess> {
  const app = await startApp(env, opts);
  apps.push(app);
  return app;
}

async function main() {
  const zlm = await startEmulatorProcess(["--secret", "benchsecret", "--media-server-id", "bench-zlm"]);
  const base = { ZLM_URL: zlm.url, ZLM_SECRET: "benchsecret", PORTSCOPE_HOOK_TOKEN: "benchtoken1", PORTSCOPE_POLL_INTERVAL_MS: "2000" };
  console.log(`event log: SQLite beside PostgreSQL, ${seconds} s per phase, closed loop c=${concurrency} (${useWrk ? "wrk" : "Node clients; apt-get install wrk for a client that keeps up"}), hook -> SSE at ${rate}/s, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"})`);

  const bare = await startBare(dir);
  await fixedRate(bare.url, 500, 1, () => hookBody(seq++));
  const barePersisted = await maxThroughput(bare.url, async () => bare.lines());
  bare.stop();

  const rows: Figures[] = [];
  const sqlite = await launch({ ...base, PORTSCOPE_DB: path.join(dir, "portscope.db") });
  rows.push(await measure("SQLite, 1 instance", sqlite, sqlite));
  await sqlite.kill();

  const db = await createTestDatabase("portscope_bench");
  try {
    const a = await launch({ ...base, DATABASE_URL: db.url }, { readyTimeoutMs: 60_000 });
    rows.push(await measure("PostgreSQL, 1 instance", a, a));
    const b = await launch({ ...base, DATABASE_URL: db.url }, { readyTimeoutMs: 60_000 });
    rows.push(await measure("PostgreSQL, hooks to A, SSE on B", a, b));
    await a.kill();
    await b.kill();
  } finally {
    await db.drop();
  }
  zlm.stop();

  console.log(`bare node:http (parse + append to a file): ${barePersisted.toFixed(0)} persisted/s`);
  console.log(`${"log".padEnd(34)} ${"persisted/s".padStart(11)} ${"x bare".padStart(7)}  ack p50/p99 ms at ${rate}/s   hook->SSE p50/p99 ms  SSE got/acked`);
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(34)} ${r.persistedPerSec.toFixed(0).padStart(11)} ${(r.persistedPerSec / barePersisted).toFixed(2).padStart(7)}  ${r.ackP50.toFixed(2).padStart(7)} / ${r.ackP99.toFixed(2).padEnd(13)} ${String(r.sseP50).padStart(7)} / ${String(r.sseP99).padEnd(10)} ${r.sseSeen}/${r.sseSent}`,
    );
  }
  const pgOne = rows[1].persistedPerSec / rows[0].persistedPerSec;
  console.log(`PostgreSQL / SQLite ingest, one instance: ${pgOne.toFixed(2)}x`);
  fs.rmSync(dir, { recursive: true, force: true });
}

runMain(main);
