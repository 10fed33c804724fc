/**
 * A ZLM emulator in its own process, as a ZLM runs beside Portscope in a
 * deployment, for the benchmarks. Killed with the benchmark.
 */
import { spawn } from "node:child_process";
import path from "node:path";

export async function startEmulatorProcess(args: string[]): Promise<{ url: string; stop: () => void }> {
  const cli = path.resolve(__dirname, "../lib/sim/cli.ts");
  const child = spawn(process.execPath, ["--import", "tsx", cli, "--port", "0", ...args], { stdio: ["ignore", "pipe", "inherit"] });
  process.on("exit", () => child.kill());
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
    child.stdout!.on("data", (c: Buffer) => {
      const m = /listening on (http:\/\/\S+)/.exec(c.toString());
      if (m) resolve(m[1]);
    });
  });
  return { url, stop: () => child.kill() };
}
