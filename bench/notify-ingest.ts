/**
 * Hook acks with and without a failing notification receiver: the built app
 * (`next start`), the same hook load (bench/load.ts fixedRate, new connection
 * per hook) twice on the same build: once with no alerts file, once with five
 * channels pointing at a receiver that answers 500 to everything, retried
 * with backoff while sample notifications keep coming (POST /api/alerts/test
 * every second: five deliveries, each tried six times), and between them a
 * control with the same channels and samples to a receiver answering 200. Prints the app's CPU
 * per hook (from /proc: steady when neighbours load the box, unlike latency),
 * ack throughput and latency, and how much delivery work ran. The run
 * without is repeated last (A, B, A): a machine whose load drifts shows it as
 * a gap between the two As.
 *
 *   npx next build && npx tsx bench/notify-ingest.ts [seconds=5] [rate=200]
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { startApp, type AppProcess } from "../lib/testing/app-process";
import { fixedRate, hookBody, percentile, type LoadResult } from "./load";
import { startEmulatorProcess } from "./emulator-process";
import { runMain } from "./run-main";
import { processCpuMs } from "./proc-cpu";

const seconds = Number(process.argv[2] ?? 5);
const rate = Number(process.argv[3] ?? 200);
const root = path.resolve(__dirname, "..");
if (!fs.existsSync(path.join(root, ".next/BUILD_ID"))) {
  console.error("build the app first: npx next build");
  process.exit(1);
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-notify-bench-"));

/** A notification receiver that answers every delivery with `status` (500: down, so each message is retried). */
async function receiverAnswering(status: number): Promise<{ url: string; hits: () => number; close: () => void }> {
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    req.resume();
    res.writeHead(status, { "content-type": "application/json" });
    res.end(status === 200 ? '{"ok":true}' : '{"error":"down"}');
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits, close: () => server.close() };
}

function row(name: string, { load: r, cpuMs }: { load: LoadResult; cpuMs: number }): string {
  return `${name.padEnd(34)} ${((cpuMs * 1000) / Math.max(1, r.ok)).toFixed(0).padStart(4)} µs CPU/hook ${String(r.ok).padStart(6)} ok ${String(r.failed).padStart(4)} failed  ${(r.ok / r.seconds).toFixed(0).padStart(5)} acks/s  p50 ${percentile(r.latenciesMs, 50).toFixed(2).padStart(6)} ms  p99 ${percentile(r.latenciesMs, 99).toFixed(2).padStart(7)} ms  max ${Math.max(...r.latenciesMs).toFixed(1).padStart(6)} ms`;
}

async function countKind(app: AppProcess, kind: string): Promise<number> {
  const res = await app.fetch(`${app.url}/api/log?kind=${kind}&limit=10000`);
  return ((await res.json()) as { events: unknown[] }).events.length;
}

async function run(zlmUrl: string, alertsFile: string | null, tag: string): Promise<{ load: LoadResult; app: AppProcess; cpuMs: number }> {
  const env: Record<string, string> = { ZLM_URL: zlmUrl, ZLM_SECRET: "benchsecret", PORTSCOPE_DB: path.join(dir, `${tag}.db`), PORTSCOPE_HOOK_TOKEN: "benchtoken1", PORTSCOPE_POLL_INTERVAL_MS: "2000" };
  if (alertsFile) env.PORTSCOPE_ALERTS = alertsFile;
  const app = await startApp(env);
  const url = new URL(`http://127.0.0.1:${app.zlmPort}/api/hooks/on_flow_report?token=benchtoken1`);
  let i = 0;
  const body = () => hookBody(i++);
  await fixedRate(url, rate, 2, body); // warm-up: JIT and SQLite page cache
  let sampling = alertsFile !== null;
  const samples = (async () => {
    while (sampling) {
      await app.fetch(`${app.url}/api/alerts/test`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      await new Promise((r) => setTimeout(r, 1000));
    }
  })();
  // With notifications on, let the retries build up before measuring.
  if (alertsFile) await new Promise((r) => setTimeout(r, 2000));
  const cpuBefore = processCpuMs(app.child.pid!).total;
  const load = await fixedRate(url, rate, seconds, body);
  const cpuMs = processCpuMs(app.child.pid!).total - cpuBefore;
  sampling = false;
  await samples;
  return { load, app, cpuMs };
}

async function main() {
  const receiver = await receiverAnswering(500);
  const healthy = await receiverAnswering(200);
  // The same channels, rules and sample load twice: to the receiver answering 500 (every message retried) and,
  // as the control, to one answering 200, so B against C is the failing receiver's cost alone (the sample
  // requests themselves are Next route requests in the same process).
  const alertsFor = (file: string, url: string) => {
    fs.writeFileSync(
      file,
      JSON.stringify({
        channels: [1, 2, 3, 4, 5].map((n) => ({ id: `ch-${n}`, format: "webhook", url: `${url}/hook-${n}` })),
        rules: [{ id: "any-incident", on: "incident" }],
        delivery: { attempts: 6, baseDelayMs: 200, maxDelayMs: 2000, timeoutMs: 2000, maxQueued: 1000 },
      }),
    );
    return file;
  };
  const alertsFile = alertsFor(path.join(dir, "alerts-down.json"), receiver.url);
  const healthyFile = alertsFor(path.join(dir, "alerts-up.json"), healthy.url);
  const zlm = await startEmulatorProcess(["--secret", "benchsecret", "--media-server-id", "bench-zlm"]);
  console.log(`hook acks with and without a 500 notification receiver, ${seconds} s at ${rate} hooks/s, new connection per hook, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"})`);

  const off = await run(zlm.url, null, "off");
  await off.app.kill();

  const up = await run(zlm.url, healthyFile, "up");
  const upHits = healthy.hits();
  await up.app.kill();

  const hitsBefore = receiver.hits();
  const on = await run(zlm.url, alertsFile, "on");
  const hits = receiver.hits() - hitsBefore;
  const failed = await countKind(on.app, "notify.failed");
  const gaveUp = await countKind(on.app, "notify.gave_up");
  await on.app.kill();
  const offAgain = await run(zlm.url, null, "off-again");
  await offAgain.app.kill();

  console.log(row("no notifications", off));
  console.log(row("5 channels -> HTTP 200 (control)", up));
  console.log(row("5 channels -> HTTP 500, retrying", on));
  console.log(row("no notifications (again)", offAgain));
  console.log(`control run: ${upHits} deliveries answered 200`);
  console.log(`during the 500 run (warm-up, 2 s of build-up and the measured ${seconds} s): ${hits} deliveries answered 500, ${failed} notify.failed and ${gaveUp} notify.gave_up events recorded`);
  receiver.close();
  healthy.close();
  zlm.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

runMain(main);
