/**
 * Hook ingest: throughput and ack latency of Portscope's hook listener (the
 * built app, `next start`, durable SQLite log) next to a bare node:http
 * server that only parses JSON and appends to a file, under the same load,
 * every request on a new connection as ZLM sends them.
 *
 *   npx next build && npx tsx bench/hook-ingest.ts [seconds=5] [rate=1000] [concurrency=32] [auto|thread|inline]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startApp } from "../lib/testing/app-process";
import { processCpuMs } from "./proc-cpu";
import { closedLoop, fixedRate, hookBody, logHead, percentile, type LoadResult } from "./load";
import { startEmulatorProcess } from "./emulator-process";
import { runMain } from "./run-main";
import { startBare } from "./bare-process";
import { wrkClosedLoop, wrkInstalled } from "./wrk";

const seconds = Number(process.argv[2] ?? 5);
const rate = Number(process.argv[3] ?? 1000);
const concurrency = Number(process.argv[4] ?? 32);
// Who commits the event log (PORTSCOPE_DB_WRITER): "auto" (default), "thread" or "inline".
const writer = process.argv[5] ?? "auto";
const root = path.resolve(__dirname, "..");
if (!fs.existsSync(path.join(root, ".next/BUILD_ID"))) {
  console.error("build the app first: npx next build");
  process.exit(1);
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-bench-"));

function row(name: string, r: LoadResult): string {
  return `${name.padEnd(34)} ${String(r.ok).padStart(7)} ok ${String(r.failed).padStart(5)} failed  ${(r.ok / r.seconds).toFixed(0).padStart(6)} req/s  p50 ${percentile(r.latenciesMs, 50).toFixed(2).padStart(7)} ms  p99 ${percentile(r.latenciesMs, 99).toFixed(2).padStart(7)} ms`;
}

async function main() {
  const bare = await startBare(dir);
  const zlm = await startEmulatorProcess(["--secret", "benchsecret", "--media-server-id", "bench-zlm"]);
  const app = await startApp({ ZLM_URL: zlm.url, ZLM_SECRET: "benchsecret", PORTSCOPE_DB: path.join(dir, "portscope.db"), PORTSCOPE_HOOK_TOKEN: "benchtoken1", PORTSCOPE_POLL_INTERVAL_MS: "2000", PORTSCOPE_DB_WRITER: writer });
  const appUrl = new URL(`http://127.0.0.1:${app.zlmPort}/api/hooks/on_flow_report?token=benchtoken1`);
  const lastId = () => logHead(app.url);
  let i = 0;
  const body = () => hookBody(i++);

  console.log(`hook ingest, new connection per request, ${seconds} s per phase, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"})`);
  await fixedRate(appUrl, 1000, 3, body); // warm-up: JIT and SQLite page cache
  await fixedRate(bare.url, 500, 1, body);

  const results: Record<string, LoadResult> = {};
  results.bareRate = await fixedRate(bare.url, rate, seconds, body);
  const cpuBefore = processCpuMs(app.child.pid!).total;
  results.appRate = await fixedRate(appUrl, rate, seconds, body);
  const cpuPerHook = ((processCpuMs(app.child.pid!).total - cpuBefore) * 1000) / Math.max(1, results.appRate.ok);
  const bareBefore = bare.lines();
  results.bareMax = await closedLoop(bare.url, concurrency, seconds, body);
  const barePersisted = (bare.lines() - bareBefore) / results.bareMax.seconds;
  const appBefore = await lastId();
  results.appMax = await closedLoop(appUrl, concurrency, seconds, body);
  const appPersisted = ((await lastId()) - appBefore) / results.appMax.seconds;

  console.log(row(`bare node:http, ${rate}/s`, results.bareRate));
  console.log(row(`portscope listener, ${rate}/s`, results.appRate));
  console.log(`portscope CPU at ${rate}/s: ${cpuPerHook.toFixed(0)} µs per hook (all threads, from /proc)`);
  console.log(row(`bare node:http, max (c=${concurrency})`, results.bareMax));
  console.log(row(`portscope listener, max (c=${concurrency})`, results.appMax));
  console.log(`persisted/s (node client): bare ${barePersisted.toFixed(0)}, portscope ${appPersisted.toFixed(0)} (committed to SQLite before each ack); ratio ${(appPersisted / barePersisted).toFixed(2)}x`);

  const linesBefore = bare.lines();
  if (wrkInstalled()) {
    const wrkBare = wrkClosedLoop(bare.url, concurrency, seconds);
    const barePersistedWrk = (bare.lines() - linesBefore) / seconds;
    const idBefore = await lastId();
    const wrkApp = wrkClosedLoop(appUrl, concurrency, seconds);
    const appPersistedWrk = ((await lastId()) - idBefore) / seconds;
    console.log(`wrk -c${concurrency}, new connection per request:`);
    console.log(`  bare node:http      ${wrkBare.rps.toFixed(0).padStart(6)} req/s  p50 ${wrkBare.p50}  p99 ${wrkBare.p99}  persisted ${barePersistedWrk.toFixed(0)}/s`);
    console.log(`  portscope listener  ${wrkApp.rps.toFixed(0).padStart(6)} req/s  p50 ${wrkApp.p50}  p99 ${wrkApp.p99}  persisted ${appPersistedWrk.toFixed(0)}/s`);
    console.log(`  ratio portscope/bare (persisted): ${(appPersistedWrk / barePersistedWrk).toFixed(2)}x`);
  } else {
    console.log("wrk not installed (apt-get install wrk): max-throughput figures above are limited by the Node client");
  }
  await app.kill();
  bare.stop();
  zlm.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

runMain(main);
