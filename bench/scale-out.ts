/**
 * The event log on SQLite beside PostgreSQL, in one run, on the built app:
 * hook ingest (closed loop, persisted events/s: every ack follows a commit)
 * and hook -> SSE latency at a fixed rate, for one SQLite instance, one
 * PostgreSQL instance, and two PostgreSQL instances (hooks to A, SSE on B).
 * A bare node:http server that parses JSON and appends to a file is the
 * yardstick, under the same load, every request on a new connection.
 * The bare server, SQLite and PostgreSQL closed loops alternate for `rounds`
 * rounds (the order rotating), all three servers up throughout: on a shared
 * box one phase of each, one after the other, swung the ratio by a third.
 *
 *   npx next build && TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *     npx tsx bench/scale-out.ts [seconds=5] [rate=500] [concurrency=32] [rounds=3]
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
const rounds = Math.max(1, Number(process.argv[5] ?? 3));
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

interface Latency {
  ackP50: number;
  ackP99: number;
  sseP50: number;
  sseP99: number;
  sseSeen: number;
  sseSent: number;
}

const hookUrl = (app: AppProcess) => new URL(`http://127.0.0.1:${app.zlmPort}/api/hooks/on_flow_report?token=benchtoken1`);

/** `ingest` takes the hooks at a fixed rate; `watch` serves the SSE client (the same instance, or another on the shared log). */
async function latency(ingest: AppProcess, watch: AppProcess): Promise<Latency> {
  const url = hookUrl(ingest);
  const viewer = await watch.signInAs("viewer");
  const sse = await sseLatency(`${watch.url}/api/events`, viewer.headers);
  await new Promise((r) => setTimeout(r, 300));
  const load = await fixedRate(url, rate, seconds, () => hookBody(seq++, { bench_sent_at: Date.now() }));
  await new Promise((r) => setTimeout(r, 1000));
  sse.close();
  return {
    ackP50: percentile(load.latenciesMs, 50),
    ackP99: percentile(load.latenciesMs, 99),
    sseP50: percentile(sse.latencies, 50),
    sseP99: percentile(sse.latencies, 99),
    sseSeen: sse.latencies.length,
    sseSent: load.ok,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

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
  console.log(`event log: SQLite beside PostgreSQL, ${rounds} rounds of ${seconds} s closed loops c=${concurrency} (${useWrk ? "wrk" : "Node clients; apt-get install wrk for a client that keeps up"}), hook -> SSE at ${rate}/s, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"})`);

  const db = await createTestDatabase("portscope_bench");
  try {
    const bare = await startBare(dir);
    const sqlite = await launch({ ...base, PORTSCOPE_DB: path.join(dir, "portscope.db") });
    const a = await launch({ ...base, DATABASE_URL: db.url }, { readyTimeoutMs: 60_000 });
    // Warm-up: JIT, page cache, pools.
    await fixedRate(bare.url, 500, 1, () => hookBody(seq++));
    for (const app of [sqlite, a]) await fixedRate(hookUrl(app), 500, 2, () => hookBody(seq++));

    const phases = {
      bare: () => maxThroughput(bare.url, async () => bare.lines()),
      sqlite: () => maxThroughput(hookUrl(sqlite), () => headOf(sqlite)),
      postgres: () => maxThroughput(hookUrl(a), () => headOf(a)),
    };
    const names = Object.keys(phases) as (keyof typeof phases)[];
    const got: Record<keyof typeof phases, number[]> = { bare: [], sqlite: [], postgres: [] };
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < names.length; i++) {
        const name = names[(r + i) % names.length];
        got[name].push(await phases[name]());
      }
    }
    bare.stop();
    const sqliteLatency = await latency(sqlite, sqlite);
    await sqlite.kill();
    const pgLatency = await latency(a, a);

    const b = await launch({ ...base, DATABASE_URL: db.url }, { readyTimeoutMs: 60_000 });
    await fixedRate(hookUrl(a), 500, 2, () => hookBody(seq++));
    const twoPersisted = await phases.postgres();
    const twoLatency = await latency(a, b);
    await a.kill();
    await b.kill();
    zlm.stop();

    console.log(`closed loop, persisted/s by round (order rotating): ${names.map((n) => `${n} ${got[n].map((v) => v.toFixed(0)).join(" / ")}`).join("; ")}`);
    console.log(`PostgreSQL / SQLite by round: ${got.postgres.map((v, i) => (v / got.sqlite[i]).toFixed(2)).join(" / ")}; SQLite / bare by round: ${got.sqlite.map((v, i) => (v / got.bare[i]).toFixed(2)).join(" / ")}`);
    const bareMedian = median(got.bare);
    console.log(`bare node:http (parse + append to a file): ${bareMedian.toFixed(0)} persisted/s (median)`);
    console.log(`${"log".padEnd(34)} ${"persisted/s".padStart(11)} ${"x bare".padStart(7)}  ack p50/p99 ms at ${rate}/s   hook->SSE p50/p99 ms  SSE got/acked`);
    const row = (name: string, persisted: number, l: Latency) =>
      console.log(
        `${name.padEnd(34)} ${persisted.toFixed(0).padStart(11)} ${(persisted / bareMedian).toFixed(2).padStart(7)}  ${l.ackP50.toFixed(2).padStart(7)} / ${l.ackP99.toFixed(2).padEnd(13)} ${String(l.sseP50).padStart(7)} / ${String(l.sseP99).padEnd(10)} ${l.sseSeen}/${l.sseSent}`,
      );
    row("SQLite, 1 instance (median)", median(got.sqlite), sqliteLatency);
    row("PostgreSQL, 1 instance (median)", median(got.postgres), pgLatency);
    row("PostgreSQL, hooks to A, SSE on B", twoPersisted, twoLatency);
    console.log(`PostgreSQL / SQLite ingest, one instance: ${(median(got.postgres) / median(got.sqlite)).toFixed(2)}x (medians)`);
  } finally {
    await db.drop();
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

runMain(main);
