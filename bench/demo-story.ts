/**
 * The default demo as a stakeholder sees it, for a long run:
 * `npx next build && npx tsx bench/demo-story.ts [minutes=15]`. Prints what
 * was staged and every incident raised (open or ended), and exits non-zero
 * when one was not staged or more than six are open at the end.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startApp } from "../lib/testing/app-process";
import { describeStory, readStory } from "../lib/testing/demo-story-check";
import { runMain } from "./run-main";

const minutes = Number(process.argv[2] ?? 15);

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-story-bench-"));
  const app = await startApp({ PORTSCOPE_DB: path.join(dir, "p.db"), PORTSCOPE_DEMO_PORT_RANGE: "41000-42999" }, { readyTimeoutMs: 60_000 });
  try {
    const started = Date.now();
    while (Date.now() - started < minutes * 60_000) {
      await new Promise((r) => setTimeout(r, 60_000));
      const r = await readStory(app.url, (u) => app.fetch(u));
      console.log(`${Math.round((Date.now() - started) / 60_000)} min: staged ${r.staged.length}, incidents ${r.incidents.length}, open ${r.open.length}, unstaged ${r.unstaged.length}`);
    }
    const r = await readStory(app.url, (u) => app.fetch(u));
    console.log(describeStory(r));
    if (r.unstaged.length > 0 || r.open.length > 6) process.exitCode = 1;
  } finally {
    await app.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runMain(main);
