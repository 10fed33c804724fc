/**
 * Browser benchmark of the timeline: 2,000 rows x 24 h of generated history
 * in a real SQLite log, served by the built app, opened in Debian's Chromium;
 * prints first paint, time to the first full timeline draw, frame times
 * while 100 hooks/s arrive over the real pipeline and SSE, and canvas draws
 * while the window is zoomed with the wheel and panned by dragging.
 *
 *   npx next build && node --conditions=react-server --import tsx bench/timeline-browser.ts [rows=2000] [seconds=10]
 *   (react-server: the event store is server-only code, run here outside Next)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import { openSqliteStore } from "../lib/events/sqlite-store";
import type { NewEvent } from "../lib/events/types";
import { TEST_PASSWORD, startApp } from "../lib/testing/app-process";
import { fixedRate, percentile } from "./load";
import { startEmulatorProcess } from "./emulator-process";
import { runMain } from "./run-main";

const rows = Number(process.argv[2] ?? 2000);
const seconds = Number(process.argv[3] ?? 10);
const root = path.resolve(__dirname, "..");
const NODE = "bench";

/** Three sessions per key over the last 24 h; the newest is still waiting for media. */
async function generate(file: string): Promise<void> {
  const store = openSqliteStore(file);
  const now = Date.now();
  const ev = (at: number, kind: NewEvent["kind"], key: string, port: number, payload: Record<string, unknown> = {}): NewEvent => ({ at, nodeId: NODE, kind, key, port, source: kind === "rtp.released" || kind === "rtp.opened" ? "poll" : "hook", payload });
  const batch: NewEvent[] = [];
  for (let i = 0; i < rows; i++) {
    const key = `__defaultVhost__/rtp/340200000013${String(i).padStart(8, "0")}`;
    const port = 30000 + 2 * i;
    for (let k = 0; k < 2; k++) {
      const t0 = now - 86_400_000 + ((i * 37) % 3600) * 1000 + k * 40_000_000;
      batch.push(ev(t0, "rtp.opened", key, port, { port, tcp_mode: 0, ssrc: i }), ev(t0 + 2000, "rtp.receiving", key, port), ev(t0 + 3_600_000, "rtp.media_stopped", key, port), ev(t0 + 3_615_000, "rtp.timed_out", key, port, { local_port: port }), ev(t0 + 3_616_000, "rtp.released", key, port, { confirmedBy: "poll", cause: "timed out" }));
    }
    batch.push(ev(now - 60_000 - (i % 600) * 1000, "rtp.opened", key, port, { port, tcp_mode: 0, ssrc: i }));
  }
  batch.sort((a, b) => a.at - b.at);
  for (let i = 0; i < batch.length; i += 5000) await store.append(batch.slice(i, i + 5000));
  await store.close();
}

async function main() {
  if (!fs.existsSync(path.join(root, ".next/BUILD_ID"))) throw new Error("build the app first: npx next build");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-uibench-"));
  const db = path.join(dir, "p.db");
  await generate(db);
  const zlm = await startEmulatorProcess(["--secret", "s", "--media-server-id", "bench-zlm"]);
  const zlmUrl = zlm.url;
  // Long poll interval: the generated "waiting" servers do not exist on the emulator, and must stay live.
  const app = await startApp({ ZLM_URL: zlmUrl, ZLM_SECRET: "s", ZLM_NODE_ID: NODE, PORTSCOPE_DB: db, PORTSCOPE_HOOK_TOKEN: "benchtoken1", PORTSCOPE_POLL_INTERVAL_MS: "600000" }, { readyTimeoutMs: 120_000 });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  // Signed in as the test viewer (the cookie the sign-in sets lands in the page's context).
  const signin = await page.request.post(`${app.url}/api/auth/signin`, { data: { user: "viewer", password: TEST_PASSWORD("viewer") } });
  if (!signin.ok()) throw new Error(`sign-in answered ${signin.status()}`);
  const started = Date.now();
  await page.goto(`${app.url}/?range=24h`);
  // Page code is passed as strings: tsx would otherwise inject helpers the browser does not have.
  await page.waitForFunction(`Number(document.querySelector('[data-testid="timeline"]')?.getAttribute("data-rows")) >= ${rows}`, undefined, { timeout: 60_000 });
  await page.waitForTimeout(300);
  const paint = (await page.evaluate(`(() => {
    const fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN;
    const draws = performance.getEntriesByName("portscope:timeline-draw");
    return { fcp, firstFullDrawEnd: draws.length ? draws[draws.length - 1].startTime + draws[draws.length - 1].duration : NaN, drawMs: draws.map((d) => d.duration) };
  })()`)) as { fcp: number; firstFullDrawEnd: number; drawMs: number[] };
  const timeToRows = Date.now() - started;

  // Frame times while hooks arrive: first media for the waiting servers, 100 per second.
  await page.evaluate(`(() => {
    window.__frames = [];
    let last = performance.now();
    const tick = (t) => { window.__frames.push(t - last); last = t; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    performance.clearMeasures("portscope:timeline-draw");
  })()`);
  const url = new URL(`http://127.0.0.1:${app.zlmPort}/api/hooks/on_publish?token=benchtoken1`);
  const load = await fixedRate(url, 100, seconds, (i) =>
    JSON.stringify({ app: "rtp", hook_index: 10_000 + i, id: "x", ip: "127.0.0.1", mediaServerId: "bench-zlm", originType: 3, originTypeStr: "rtp_push", params: "", port: 5000, protocol: "rtp", schema: "rtp", stream: `340200000013${String(i % rows).padStart(8, "0")}`, vhost: "__defaultVhost__" }),
  );
  const frames = (await page.evaluate("window.__frames.slice(5)")) as number[];
  const draws = (await page.evaluate(`performance.getEntriesByName("portscope:timeline-draw").map((d) => d.duration)`)) as number[];
  const receiving = (await page.evaluate(`document.querySelector('[data-testid="timeline-count"]')?.textContent ?? ""`)) as string;

  console.log(`timeline: ${rows} rows, 24 h of history (${rows * 3} sessions), Debian Chromium headless, 1600x1000`);
  console.log(`  first contentful paint ${paint.fcp.toFixed(0)} ms; first full timeline draw done at ${paint.firstFullDrawEnd.toFixed(0)} ms after navigation (${timeToRows} ms wall clock incl. loading all sessions)`);
  console.log(`  canvas draw of the visible rows at load: median ${percentile(paint.drawMs, 50).toFixed(2)} ms`);
  console.log(`  while ${load.ok} hooks arrived at 100/s for ${seconds} s: frame interval median ${percentile(frames, 50).toFixed(2)} ms, p95 ${percentile(frames, 95).toFixed(2)} ms, max ${frames.reduce((a, b) => Math.max(a, b), 0).toFixed(1)} ms over ${frames.length} frames; canvas draws median ${percentile(draws, 50).toFixed(2)} ms, p95 ${percentile(draws, 95).toFixed(2)} ms (${draws.length} draws)`);
  console.log(`  at the end: ${receiving}`);

  // Zoom and pan with the mouse, as an operator would: 20 wheel steps in, 20 out, then a 600 px drag.
  const box = (await page.locator('[data-testid="timeline-plot"]').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.7, box.y + 300);
  await page.evaluate(`(() => { window.__frames = []; performance.clearMeasures("portscope:timeline-draw"); })()`);
  for (const dy of [...Array(20).fill(-120), ...Array(20).fill(120)]) {
    await page.mouse.wheel(0, dy);
    await page.waitForTimeout(40);
  }
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.7 - 600, box.y + 300, { steps: 30 });
  await page.mouse.up();
  await page.waitForTimeout(500);
  const zoomFrames = (await page.evaluate("window.__frames.slice(2)")) as number[];
  const zoomDraws = (await page.evaluate(`performance.getEntriesByName("portscope:timeline-draw").map((d) => d.duration)`)) as number[];
  const span = (await page.evaluate(`(() => { const t = document.querySelector('[data-testid="timeline"]'); return Number(t.dataset.to) - Number(t.dataset.from); })()`)) as number;
  console.log(`  zoom (40 wheel steps) and pan (600 px drag): canvas draws median ${percentile(zoomDraws, 50).toFixed(2)} ms, p95 ${percentile(zoomDraws, 95).toFixed(2)} ms, max ${zoomDraws.reduce((a, b) => Math.max(a, b), 0).toFixed(1)} ms (${zoomDraws.length} draws); frame interval median ${percentile(zoomFrames, 50).toFixed(2)} ms, p95 ${percentile(zoomFrames, 95).toFixed(2)} ms; final window ${(span / 3600e3).toFixed(1)} h`);
  await browser.close();
  await app.kill();
  zlm.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

runMain(main);
