/**
 * Hook -> SSE latency as deployed: hooks posted to the built app's lean
 * listener at a fixed rate (new connection each), 50 browsers' worth of SSE
 * clients on /api/events (the Next route), each measuring the time from the
 * hook's send to its event's arrival.
 *
 *   npx next build && npx tsx bench/sse-fanout.ts [clients=50] [rate=1000] [seconds=10]
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { startApp } from "../lib/testing/app-process";
import { fixedRate, hookBody, percentile } from "./load";
import { runMain } from "./run-main";

const clients = Number(process.argv[2] ?? 50);
const rate = Number(process.argv[3] ?? 1000);
const seconds = Number(process.argv[4] ?? 10);
const root = path.resolve(__dirname, "..");
if (!fs.existsSync(path.join(root, ".next/BUILD_ID"))) {
  console.error("build the app first: npx next build");
  process.exit(1);
}

function connect(url: string, auth: Record<string, string>, onEvent: (sentAt: number) => void): Promise<http.ClientRequest> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { ...auth, accept: "text/event-stream" } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`SSE ${res.statusCode}`));
      res.setEncoding("utf8");
      let buf = "";
      res.on("data", (chunk: string) => {
        buf += chunk;
        const now = Date.now();
        let idx: number;
        while ((idx = buf.indexOf("\n\n")) >= 0) {
          const frame = buf.slice(0, idx);
          buf = buf.slice(idx + 2);
          const m = /"bench_sent_at":(\d+)/.exec(frame);
          if (m) onEvent(now - Number(m[1]));
        }
      });
      resolve(req);
    });
    req.on("error", reject);
  });
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-ssebench-"));
  const app = await startApp({ PORTSCOPE_DB: path.join(dir, "p.db"), PORTSCOPE_DEMO_CAMERAS: "0", PORTSCOPE_HOOK_TOKEN: "benchtoken1" });
  const latencies: number[] = [];
  const perClient = new Array<number>(clients).fill(0);
  const viewer = (await app.signInAs("viewer")).headers;
  const reqs = await Promise.all(Array.from({ length: clients }, (_, c) => connect(`${app.url}/api/events`, viewer, (ms) => (latencies.push(ms), perClient[c]++))));
  const url = new URL(`http://127.0.0.1:${app.zlmPort}/api/hooks/on_flow_report?token=benchtoken1`);
  await fixedRate(url, 200, 1, (i) => hookBody(i, { bench_sent_at: Date.now() })); // warm-up
  latencies.length = 0;
  perClient.fill(0);
  const load = await fixedRate(url, rate, seconds, (i) => hookBody(100_000 + i, { bench_sent_at: Date.now() }));
  await new Promise((r) => setTimeout(r, 1000));
  for (const r of reqs) r.destroy();
  console.log(`hook -> SSE, ${clients} clients on /api/events, ${rate} hooks/s for ${seconds} s (${load.ok} acknowledged, ${load.failed} failed)`);
  console.log(`  ack p50 ${percentile(load.latenciesMs, 50).toFixed(2)} ms, p99 ${percentile(load.latenciesMs, 99).toFixed(2)} ms`);
  console.log(`  hook -> SSE client: p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies.reduce((a, b) => Math.max(a, b), 0)} ms`);
  console.log(`  events per client: min ${Math.min(...perClient)}, max ${Math.max(...perClient)} (expected ${load.ok})`);
  await app.kill();
  fs.rmSync(dir, { recursive: true, force: true });
}

runMain(main);
