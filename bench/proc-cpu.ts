import fs from "node:fs";

/**
 * CPU time a process has used, from /proc (Linux; the clock ticks at 100 Hz
 * here, so figures move in 10 ms steps). Counts every thread of the process.
 */
export function processCpuMs(pid: number): { total: number; kernel: number } {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  const user = (Number(fields[11]) * 1000) / 100;
  const kernel = (Number(fields[12]) * 1000) / 100;
  return { total: user + kernel, kernel };
}
