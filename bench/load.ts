/**
 * A small HTTP load generator for the benchmarks: every request on a new
 * connection (ZLM opens one per hook), either at a fixed rate (open loop, for
 * latency) or as fast as `concurrency` workers go (closed loop, for throughput).
 */
import http from "node:http";

export interface LoadResult {
  sent: number;
  ok: number;
  failed: number;
  seconds: number;
  latenciesMs: number[];
}

export function post(url: URL, body: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method: "POST", agent: false, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), connection: "close" } },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      },
    );
    req.on("error", () => resolve({ status: 0, ms: performance.now() - started }));
    req.end(body);
  });
}

export async function fixedRate(url: URL, rate: number, seconds: number, body: (i: number) => string): Promise<LoadResult> {
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      post(url, body(i)).then((r) => {
        latencies.push(r.ms);
        if (r.status === 200) ok++;
        else failed++;
      }),
    );
  }
  await Promise.all(pending);
  return { sent: total, ok, failed, seconds: (performance.now() - started) / 1000, latenciesMs: latencies };
}

export async function closedLoop(url: URL, concurrency: number, seconds: number, body: (i: number) => string): Promise<LoadResult> {
  let next = 0;
  let ok = 0;
  let failed = 0;
  const latencies: number[] = [];
  const started = performance.now();
  const end = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const r = await post(url, body(next++));
      latencies.push(r.ms);
      if (r.status === 200) ok++;
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { sent: next, ok, failed, seconds: (performance.now() - started) / 1000, latenciesMs: latencies };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** A ~600-byte ZLM-style hook body, unique per i (so nothing is deduplicated). */
export function hookBody(i: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    app: "rtp",
    duration: 12,
    hook_index: 1_000_000 + i,
    id: `bench-${i}`,
    ip: "192.168.10.23",
    mediaServerId: "bench-zlm",
    params: "",
    player: false,
    port: 40000 + (i % 20000),
    protocol: "udp",
    schema: "rtp",
    stream: `34020000001320${String(i % 1_000_000).padStart(6, "0")}`,
    totalBytes: 1048576 + i,
    vhost: "__defaultVhost__",
    note: "x".repeat(240),
    ...extra,
  });
}

/**
 * The app's log head (`lastEventId` of /api/health). Asked on a fresh connection: wrk runs under
 * spawnSync, which blocks this process's timers, so a pooled keep-alive socket can be one the
 * app already closed ("other side closed").
 */
export function logHead(baseUrl: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(`${baseUrl}/api/health`, { agent: false, headers: { connection: "close" } }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => {
          try {
            resolve((JSON.parse(text) as { lastEventId: number }).lastEventId);
          } catch (err) {
            reject(err);
          }
        });
      })
      .on("error", reject);
  });
}
