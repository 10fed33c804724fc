/**
 * Reconciliation cost: a listRtpServer + getMediaList snapshot of 1k and 10k
 * servers diffed against the lifecycle model, first pass (everything new)
 * and steady state (nothing changed).
 *
 *   npx tsx bench/reconcile.ts
 */
import type { NewEvent, PortscopeEvent } from "../lib/events/types";
import { Lifecycle } from "../lib/lifecycle/reduce";
import { reconcile, type ReconcileInput } from "../lib/ingest/reconcile";

function snapshot(n: number): Pick<ReconcileInput, "rtpServers" | "media"> {
  const rtpServers = Array.from({ length: n }, (_, i) => ({ vhost: "__defaultVhost__", app: "rtp", stream_id: `34020000001320${String(i).padStart(6, "0")}`, port: 30000 + 2 * i, tcp_mode: 0, ssrc: 100000 + i, only_track: 0 }));
  const media = rtpServers.filter((_, i) => i % 2 === 0).flatMap((s) => ["rtsp", "rtmp", "ts", "fmp4", "hls"].map((schema) => ({ vhost: s.vhost, app: s.app, stream: s.stream_id, schema })));
  return { rtpServers, media };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

for (const n of [1_000, 10_000]) {
  const snap = snapshot(n);
  const firsts: number[] = [];
  const steadies: number[] = [];
  for (let round = 0; round < 7; round++) {
    const model = new Lifecycle();
    let id = 0;
    const apply = (evs: NewEvent[]) => evs.forEach((e) => model.apply({ ...e, id: ++id } as PortscopeEvent));
    let t = performance.now();
    const first = reconcile({ nodeId: "n", at: 1000, ...snap }, model);
    firsts.push(performance.now() - t);
    apply(first);
    // Steady state, as the poller runs it every cycle in a warm process.
    for (let k = 0; k < 5; k++) {
      t = performance.now();
      const again = reconcile({ nodeId: "n", at: 3000 + k, ...snap }, model);
      steadies.push(performance.now() - t);
      if (again.length !== 0) throw new Error(`steady state produced ${again.length} events`);
    }
  }
  console.log(`reconcile ${String(n).padStart(6)} servers (${snap.media!.length} media rows): first pass median ${median(firsts).toFixed(2)} ms, steady state median ${median(steadies).toFixed(2)} ms (7 rounds; steady = 5 polls per round)`);
}
