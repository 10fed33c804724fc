/** Starts bench/bare-server.ts in its own process: the yardstick a hook benchmark compares against. */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export interface BareServer {
  url: URL;
  /** Hooks it has appended to its file so far. */
  lines(): number;
  stop(): void;
}

export async function startBare(dir: string): Promise<BareServer> {
  const file = path.join(dir, "bare.ndjson");
  const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "bare-server.ts"), file], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve) => child.stdout!.on("data", (c: Buffer) => resolve(Number(/PORT (\d+)/.exec(c.toString())?.[1]))));
  return { url: new URL(`http://127.0.0.1:${port}/api/hooks/on_flow_report`), lines: () => fs.readFileSync(file, "utf8").split("\n").length - 1, stop: () => child.kill() };
}
