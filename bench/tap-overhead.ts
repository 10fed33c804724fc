/**
 * API tap overhead: the same ZLM calls made directly to ZLM (the emulator, in
 * its own process) and through Portscope's tap on the lean listener, in one
 * run, sequentially, each on a new connection as most platforms' HTTP clients
 * do for ZLM. Prints p50/p99 of both and the difference, and the CPU time the
 * Portscope process spent per tapped call, all its threads (robust to a busy machine, unlike p99),
 * and the kernel's share of it.
 *
 *   npx next build && npx tsx bench/tap-overhead.ts [calls=2000] [auto|thread|inline]
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { startApp } from "../lib/testing/app-process";
import { percentile } from "./load";
import { startEmulatorProcess } from "./emulator-process";
import { processCpuMs } from "./proc-cpu";
import { runMain } from "./run-main";

const calls = Number(process.argv[2] ?? 2000);
// Who commits the event log (PORTSCOPE_DB_WRITER): "auto" (the default), "thread" or "inline", to compare them in one place.
const writer = process.argv[3] ?? "auto";
// Unmeasured calls per endpoint first: with 200, the first endpoint measured still ran slower code (JIT) and cost
// a third more CPU per call than the same endpoint measured last.
const warmup = 1000;
const root = path.resolve(__dirname, "..");

function get(url: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        res.resume();
        res.on("end", () => resolve(performance.now() - started));
      })
      .on("error", reject);
  });
}

const cpuMs = (pid: number) => processCpuMs(pid).total;
const sysMs = (pid: number) => processCpuMs(pid).kernel;

/** Waits (up to 60 s) until the process used under 5% of a core over one second. */
async function settle(pid: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const before = cpuMs(pid);
    await new Promise((r) => setTimeout(r, 1000));
    if (cpuMs(pid) - before < 50) return;
  }
}

async function main() {
  if (!fs.existsSync(path.join(root, ".next/BUILD_ID"))) throw new Error("build the app first: npx next build");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-tapbench-"));
  const zlm = await startEmulatorProcess(["--secret", "s", "--media-server-id", "tap-zlm", "--port-range", "22000-22998"]);
  const zlmUrl = zlm.url;
  const app = await startApp({ ZLM_URL: zlmUrl, ZLM_SECRET: "s", ZLM_NODE_ID: "z", PORTSCOPE_DB: path.join(dir, "p.db"), PORTSCOPE_HOOK_TOKEN: "benchtoken1", PORTSCOPE_DB_WRITER: writer });
  const tapUrl = `http://127.0.0.1:${app.zlmPort}/zlm/z`;
  const results: Record<string, { direct: number[]; tapped: number[]; cpuMs: number; sysMs: number }> = {};
  const pid = app.child.pid!;
  // Not measured: JIT and pools warm up; then wait until Portscope is idle (Next preloads its routes after
  // start, which takes many seconds on a busy machine and would land on the first endpoint's figures).
  for (const endpoint of ["getRtpInfo", "listRtpServer", "openRtpServer"]) {
    for (let i = 0; i < warmup; i++) await get(`${tapUrl}/index/api/${endpoint}?secret=s&port=0&stream_id=warmup_${i % 10}`);
  }
  await settle(pid);
  const loadBefore = os.loadavg()[0];
  for (const endpoint of ["getRtpInfo", "listRtpServer", "openRtpServer"]) {
    const r = (results[endpoint] = { direct: [] as number[], tapped: [] as number[], cpuMs: 0, sysMs: 0 });
    const before = processCpuMs(pid);
    for (let i = 0; i < calls; i++) {
      // Interleaved so both see the same machine state.
      const q = endpoint === "openRtpServer" ? `secret=s&port=0&stream_id=tapbench_${i % 50}` : `secret=s&stream_id=tapbench_${i % 50}`;
      r.direct.push(await get(`${zlmUrl}/index/api/${endpoint}?${q}`));
      r.tapped.push(await get(`${tapUrl}/index/api/${endpoint}?${q}`));
    }
    const after = processCpuMs(pid);
    r.cpuMs = after.total - before.total;
    r.sysMs = after.kernel - before.kernel;
  }
  console.log(`API tap overhead, ${calls} calls per endpoint, new connection per call, direct and tapped interleaved, ${writer} event-log writer; load average ${loadBefore.toFixed(1)} -> ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
  for (const [endpoint, r] of Object.entries(results)) {
    const d50 = percentile(r.direct, 50);
    const d99 = percentile(r.direct, 99);
    const t50 = percentile(r.tapped, 50);
    const t99 = percentile(r.tapped, 99);
    console.log(`  ${endpoint.padEnd(14)} direct p50 ${d50.toFixed(2)} ms p99 ${d99.toFixed(2)} ms | tapped p50 ${t50.toFixed(2)} ms p99 ${t99.toFixed(2)} ms | added p50 ${(t50 - d50).toFixed(2)} ms, p99 ${(t99 - d99).toFixed(2)} ms | Portscope CPU ${((r.cpuMs * 1000) / calls).toFixed(0)} µs/call (kernel ${((r.sysMs * 1000) / calls).toFixed(0)})`);
  }
  await app.kill();
  zlm.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

runMain(main);
