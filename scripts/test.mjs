#!/usr/bin/env node
// `npm test`: every test. Installs what is missing (dependencies, Debian's
// Chromium when run as root), then: typecheck, unit + component tests
// (vitest), production build, integration tests against the built app, and
// browser tests (Playwright in Debian's Chromium). Prints a summary.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const results = [];

function step(name, cmd, args, opts = {}) {
  const started = Date.now();
  console.log(`\n=== ${name}: ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...env, ...(opts.env ?? {}) } });
  const ok = r.status === 0;
  results.push({ name, ok, seconds: Math.round((Date.now() - started) / 100) / 10 });
  if (!ok && opts.fatal) finish();
  return ok;
}

function finish() {
  console.log("\n=== summary");
  for (const r of results) console.log(`${r.ok ? "PASS" : "FAIL"}  ${r.name} (${r.seconds}s)`);
  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

if (!fs.existsSync("node_modules/.package-lock.json")) step("install", "npm", ["install", "--no-audit", "--no-fund"], { fatal: true });

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasCjkFont = spawnSync("bash", ["-c", "fc-list :lang=zh | grep -q ."]).status === 0;
if (!hasCjkFont && process.getuid?.() === 0 && fs.existsSync(chromium)) {
  // Only for the 简体中文 screenshots; the tests pass without it.
  console.log("\n=== installing a CJK font (fonts-wqy-zenhei) for the 简体中文 screenshots");
  spawnSync("bash", ["-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-zenhei"], { stdio: "inherit" });
}
if (!fs.existsSync(chromium)) {
  if (process.getuid?.() === 0) {
    step("install chromium", "bash", ["-c", `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium${hasCjkFont ? "" : " fonts-wqy-zenhei"}`], { fatal: true });
  } else {
    console.error(`${chromium} is missing: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`);
    results.push({ name: "chromium present", ok: false, seconds: 0 });
    finish();
  }
}

step("typecheck", process.execPath, ["node_modules/typescript/bin/tsc", "--noEmit"]);
step("unit tests", process.execPath, ["node_modules/vitest/vitest.mjs", "run"]);
if (step("build", process.execPath, ["node_modules/next/dist/bin/next", "build"])) {
  if (fs.existsSync("vitest.integration.config.ts")) step("integration tests", process.execPath, ["node_modules/vitest/vitest.mjs", "run", "--config", "vitest.integration.config.ts"]);
  step("browser tests", process.execPath, ["node_modules/@playwright/test/cli.js", "test"]);
}
finish();
