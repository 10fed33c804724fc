import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";

/**
 * Runs the built Portscope app (`next start`) as a real child process, for
 * integration tests that need the whole chain: hooks over HTTP, the durable
 * log on disk, SSE to a real client, and SIGKILL.
 */
export interface AppProcess {
  url: string;
  port: number;
  zlmPort: number;
  child: ChildProcess;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startApp(env: Record<string, string>, opts: { port?: number; zlmPort?: number; readyTimeoutMs?: number } = {}): Promise<AppProcess> {
  const root = path.resolve(__dirname, "../..");
  const port = opts.port ?? (await freePort());
  const zlmPort = opts.zlmPort ?? (await freePort());
  const nextBin = path.join(root, "node_modules/next/dist/bin/next");
  const cleanEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("ZLM_") && !k.startsWith("PORTSCOPE_")) cleanEnv[k] = v;
  const child = spawn(process.execPath, [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: { ...cleanEnv, NODE_ENV: "production", PORT: String(port), PORTSCOPE_ZLM_PORT: String(zlmPort), PORTSCOPE_ZLM_HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (out += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}:\n${out}`);
    try {
      const r = await fetch(`${url}/api/nodes`, { signal: AbortSignal.timeout(2000) });
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`app not ready in time:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    url,
    port,
    zlmPort,
    child,
    output: () => out,
    kill: (signal = "SIGTERM") =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill(signal);
      }),
  };
}
