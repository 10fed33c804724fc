#!/usr/bin/env node
// `npm start`: installs on first run, builds when the sources are newer than
// the last build, then serves the dashboard on PORT (default 3000). With no
// ZLM configured it runs in demo mode on the embedded emulator.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: process.env });
  if (r.status !== 0) {
    console.error(`portscope: "${cmd} ${args.join(" ")}" failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

function newestMtime(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const e of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

if (!fs.existsSync("node_modules/.package-lock.json") || newestMtime("package-lock.json") > newestMtime("node_modules/.package-lock.json")) {
  console.log("portscope: installing dependencies (first run)…");
  run("npm", ["install", "--no-audit", "--no-fund"]);
}

const built = newestMtime(".next/BUILD_ID");
const sources = Math.max(...["app", "components", "lib", "public", "instrumentation.ts", "next.config.js", "package.json", "tsconfig.json", "postcss.config.mjs"].map(newestMtime));
if (built === 0 || sources > built) {
  console.log("portscope: building…");
  run(process.execPath, ["node_modules/next/dist/bin/next", "build"]);
}

const port = process.env.PORT || "3000";
console.log(`portscope: serving on http://localhost:${port}${process.env.ZLM_URL || process.env.PORTSCOPE_NODES ? "" : " (demo mode: embedded ZLM emulator)"}`);
const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", port], { stdio: "inherit", env: process.env });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
