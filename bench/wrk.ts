/**
 * Closed-loop maximum throughput with wrk (Debian's package), a C client: on
 * the 2-core box a Node client spends a core of its own opening connections
 * and caps what it can measure below what the servers take. Every request is
 * a unique ~600-byte hook on a new connection (bench/wrk-hook.lua).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

export interface WrkResult {
  rps: number;
  p50: string;
  p99: string;
  non2xx: number;
  socketErrors: string | null;
}

export function wrkInstalled(): boolean {
  return !spawnSync("wrk", ["--version"]).error;
}

export function wrkClosedLoop(url: URL, concurrency: number, seconds: number): WrkResult {
  const r = spawnSync("wrk", ["-t1", `-c${concurrency}`, `-d${seconds}s`, "--latency", "-s", path.join(__dirname, "wrk-hook.lua"), url.toString()], { encoding: "utf8" });
  if (r.error) throw r.error;
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)?.[1] ?? NaN),
    p50: /^\s+50%\s+(\S+)/m.exec(r.stdout)?.[1] ?? "?",
    p99: /^\s+99%\s+(\S+)/m.exec(r.stdout)?.[1] ?? "?",
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(r.stdout)?.[1] ?? 0),
    socketErrors: /Socket errors:\s+(.*)/.exec(r.stdout)?.[1] ?? null,
  };
}
