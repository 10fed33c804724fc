import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startApp, type AppProcess } from "@/lib/testing/app-process";
import { CheckedTab } from "@/lib/testing/cache-check";

/**
 * Against the built app in demo mode (emulator, simulated cameras, real RTP,
 * real hooks): browser tabs that keep their session lists from the SSE stream
 * with the browser's own code end, at every quiet moment, equal to a fresh
 * /api/sessions read, row for row — one tab connected throughout, one that
 * drops and comes back with Last-Event-ID. CACHE_CHECK_SECONDS sets the run
 * (60 s here; bench/cache-consistency.ts runs it for 10 minutes).
 */
const SECONDS = Number(process.env.CACHE_CHECK_SECONDS ?? 60);
let app: AppProcess;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-cache-it-"));
  app = await startApp({ PORTSCOPE_DB: path.join(dir, "p.db"), PORTSCOPE_DEMO_CAMERAS: "8", PORTSCOPE_DEMO_TIMEOUT_SEC: "5", PORTSCOPE_DEMO_PORT_RANGE: process.env.E2E_DEMO_PORT_RANGE_IT ?? "40000-40999" }, { readyTimeoutMs: 60_000 });
});
afterAll(async () => {
  await app?.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("browser caches against the running demo", () => {
  it(`equal a fresh read at every check over ${SECONDS} s, through a drop and a Last-Event-ID replay`, async () => {
    const viewer = await app.signInAs("viewer");
    const steady = new CheckedTab(app.url, undefined, viewer.headers);
    const dropper = new CheckedTab(app.url, undefined, viewer.headers);
    await steady.connect();
    await dropper.connect();
    const end = Date.now() + SECONDS * 1000;
    let checks = 0;
    let round = 0;
    while (Date.now() < end) {
      await new Promise((r) => setTimeout(r, 3000));
      round++;
      if (round % 4 === 1) dropper.disconnect();
      if (round % 4 === 2) await dropper.connect(true);
      for (const tab of round % 4 === 1 ? [steady] : [steady, dropper]) {
        const r = await tab.compare();
        expect(r.differences).toEqual([]);
        checks++;
      }
    }
    steady.disconnect();
    dropper.disconnect();
    console.log(`cache checks: ${checks}; state frames ${steady.frames} with ${steady.rows} rows; last compared at event ${steady.lastEventId}`);
    expect(checks).toBeGreaterThan(5);
    expect(steady.rows, "the demo changed sessions during the run").toBeGreaterThan(10);
  }, (SECONDS + 60) * 1000);
});
