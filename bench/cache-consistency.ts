/**
 * Long run of the cache-equals-fresh-read check against the built app in demo
 * mode: `npx next build && npx tsx bench/cache-consistency.ts [minutes=10]`.
 * Prints every check's outcome count and any difference; exits non-zero on one.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startApp } from "../lib/testing/app-process";
import { CheckedTab } from "../lib/testing/cache-check";
import { runMain } from "./run-main";

const minutes = Number(process.argv[2] ?? 10);

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-cache-bench-"));
  const app = await startApp({ PORTSCOPE_DB: path.join(dir, "p.db"), PORTSCOPE_DEMO_PORT_RANGE: "41000-42999" }, { readyTimeoutMs: 60_000 });
  const viewer = (await app.signInAs("viewer")).headers;
  const steady = new CheckedTab(app.url, undefined, viewer);
  const dropper = new CheckedTab(app.url, undefined, viewer);
  await steady.connect();
  await dropper.connect();
  const started = Date.now();
  let checks = 0;
  let failed = 0;
  let maxRows = 0;
  let round = 0;
  try {
    while (Date.now() - started < minutes * 60_000) {
      await new Promise((r) => setTimeout(r, 5000));
      round++;
      if (round % 6 === 1) dropper.disconnect();
      if (round % 6 === 3) await dropper.connect(true);
      for (const tab of round % 6 === 1 || round % 6 === 2 ? [steady] : [steady, dropper]) {
        const r = await tab.compare();
        checks++;
        maxRows = Math.max(maxRows, r.rows);
        if (r.differences.length) {
          failed++;
          console.log(`difference at event ${r.at}:\n  ${r.differences.join("\n  ")}`);
        }
      }
      if (round % 12 === 0) console.log(`${Math.round((Date.now() - started) / 1000)} s: ${checks} checks, ${failed} with differences, ${maxRows} sessions, event ${steady.lastEventId}`);
    }
  } finally {
    steady.disconnect();
    dropper.disconnect();
    await app.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`cache consistency over ${minutes} min of the default demo: ${checks} checks, ${failed} with differences; up to ${maxRows} sessions; ${steady.frames} state frames with ${steady.rows} rows; last event ${steady.lastEventId}`);
  process.exit(failed === 0 ? 0 : 1);
}

runMain(main);
