/**
 * Hook ingest: throughput and ack latency of Portscope's hook listener (the
 * built app, `next start`, durable SQLite log) next to a bare node:http
 * server that only parses JSON and appends to a file, under the same load,
 * every request on a new connection as ZLM sends them.
 *
 *   npx next build && npx tsx bench/hook-ingest.ts [seconds=5] [rate=1000] [concurrency=32]
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startApp } from "../lib/testing/app-process";
import { closedLoop, fixedRate, hookBody, percentile, type LoadResult } from "./load";

const seconds = Number(process.argv[2] ?? 5);
const rate = Number(process.argv[3] ?? 1000);
const concurrency = Number(process.argv[4] ?? 32);
const root = path.resolve(__dirname, "..");
if (!fs.existsSync(path.join(root, ".next/BUILD_ID"))) {
  console.error("build the app first: npx next build");
  process.exit(1);
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-bench-"));

async function startBare(): Promise<{ url: URL; lines: () => number; stop: () => void }> {
  const file = path.join(dir, "bare.ndjson");
  const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "bare-server.ts"), file], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve) => child.stdout!.on("data", (c: Buffer) => resolve(Number(/PORT (\d+)/.exec(c.toString())?.[1]))));
  return { url: new URL(`http://127.0.0.1:${port}/api/hooks/on_flow_report`), lines: () => fs.readFileSync(file, "utf8").split("\n").length - 1, stop: () => child.kill() };
}

function row(name: string, r: LoadResult): string {
  return `${name.padEnd(34)} ${String(r.ok).padStart(7)} ok ${String(r.failed).padStart(5)} failed  ${(r.ok / r.seconds).toFixed(0).padStart(6)} req/s  p50 ${percentile(r.latenciesMs, 50).toFixed(2).padStart(7)} ms  p99 ${percentile(r.latenciesMs, 99).toFixed(2).padStart(7)} ms`;
}

async function main() {
  const bare = await startBare();
  const app = await startApp({ PORTSCOPE_DB: path.join(dir, "portscope.db"), PORTSCOPE_DEMO_CAMERAS: "0", PORTSCOPE_HOOK_TOKEN: "benchtoken1", PORTSCOPE_POLL_INTERVAL_MS: "2000" });
  const appUrl = new URL(`http://127.0.0.1:${app.zlmPort}/api/hooks/on_flow_report?token=benchtoken1`);
  const lastId = async () => ((await (await fetch(`${app.url}/api/health`)).json()) as { lastEventId: number }).lastEventId;
  let i = 0;
  const body = () => hookBody(i++);

  console.log(`hook ingest, new connection per request, ${seconds} s per phase, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"})`);
  await fixedRate(appUrl, 500, 1, body); // warm-up
  await fixedRate(bare.url, 500, 1, body);

  const results: Record<string, LoadResult> = {};
  results.bareRate = await fixedRate(bare.url, rate, seconds, body);
  results.appRate = await fixedRate(appUrl, rate, seconds, body);
  const bareBefore = bare.lines();
  results.bareMax = await closedLoop(bare.url, concurrency, seconds, body);
  const barePersisted = (bare.lines() - bareBefore) / results.bareMax.seconds;
  const appBefore = await lastId();
  results.appMax = await closedLoop(appUrl, concurrency, seconds, body);
  const appPersisted = ((await lastId()) - appBefore) / results.appMax.seconds;

  console.log(row(`bare node:http, ${rate}/s`, results.bareRate));
  console.log(row(`portscope listener, ${rate}/s`, results.appRate));
  console.log(row(`bare node:http, max (c=${concurrency})`, results.bareMax));
  console.log(row(`portscope listener, max (c=${concurrency})`, results.appMax));
  console.log(`persisted/s: bare ${barePersisted.toFixed(0)}, portscope ${appPersisted.toFixed(0)} (events committed to SQLite before each ack); ratio ${(appPersisted / barePersisted).toFixed(2)}x`);
  await app.kill();
  bare.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
