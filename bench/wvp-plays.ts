/**
 * The race shield against a wvp-like platform (issue 11): the same platform
 * (lib/sim/wvp-platform.ts), same seed, played directly against ZLM and
 * through Portscope's tap with each shield policy, one configuration after
 * the other in one run. Prints a table (plays, "already exists" failures and
 * other ZLM codes, play timeouts, median time to first media) and checks the
 * event log that the shield never closed a server that had media.
 *
 *   node --conditions=react-server --import tsx bench/wvp-plays.ts [--seconds 60] [--channels 12] [--seed 1] [--only direct,absorb]
 *   # against a real ZLM, hooks to the bench's listener on 3360 (token "wvp-token"):
 *   HOOK_BASE=http://127.0.0.1:3360/api/hooks HOOK_TOKEN=wvp-token /work/zlm-real/start.sh
 *   node --conditions=react-server --import tsx bench/wvp-plays.ts --zlm-url http://127.0.0.1:44600 --secret real-secret --media-server-id zlm-real
 *
 * The emulator runs in its own process (as ZLM runs beside Portscope); the
 * platform and Portscope's ingest chain (lean listener, tap, poller, SQLite)
 * share the bench's process.
 */
import os from "node:os";
import { startEmulatorProcess } from "./emulator-process";
import { startIngestRig } from "../lib/testing/ingest-rig";
import { startWvpPlatform } from "../lib/sim/wvp-platform";
import { playTable, summarizePlays, type PlaySummary } from "../lib/sim/wvp-summary";
import { decisionCounts, liveServersClosedByShield } from "../lib/tap/shield-audit";
import { createZlmClient } from "../lib/zlm/client";
import type { EventKind, PortscopeEvent } from "../lib/events/types";
import type { ShieldConfig, ShieldPolicy } from "../lib/tap/race-shield";

type Config = "direct" | ShieldPolicy;
const ALL: Config[] = ["direct", "off", "wait", "adopt", "takeover", "absorb"];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const seconds = Number(arg("seconds", "60"));
const channels = Number(arg("channels", "12"));
const seed = Number(arg("seed", "1"));
const only = arg("only", ALL.join(",")).split(",") as Config[];
const realUrl = arg("zlm-url", "");
const realSecret = arg("secret", "real-secret");
const timeoutSec = Number(arg("timeout-sec", "5"));
const AUDITED: EventKind[] = ["rtp.opened", "rtp.receiving", "rtp.released", "stream.registered", "stream.publish", "shield.decision"];

async function runOne(config: Config): Promise<{ summary: PlaySummary; liveClosed: number; decisions: Record<string, number> }> {
  const shield: ShieldConfig | undefined = config === "direct" ? undefined : { policy: config, deadlineMs: 5000, idleMs: 5000 };
  const secret = realUrl ? realSecret : "wvp-secret";
  const rig = await startIngestRig({ name: "wvp", secret, mediaServerId: arg("media-server-id", "zlm-wvp"), shield, listenerPort: Number(arg("listener-port", realUrl ? "3360" : "0")) });
  const emu = realUrl ? null : await startEmulatorProcess(["--secret", secret, "--media-server-id", "zlm-wvp", "--hook-url", rig.hookUrl, "--timeout-sec", String(timeoutSec), "--port-range", "36000-37998", "--alive-interval", "3600", "--seed", String(seed)]);
  const zlmUrl = realUrl || emu!.url;
  await rig.attach(zlmUrl, { pollMs: 1000 });
  const t = Date.now();
  const logger = process.env.BENCH_DEBUG ? (l: string) => console.log(`  ${((Date.now() - t) / 1000).toFixed(2)} ${config} ${l}`) : undefined;
  const platform = startWvpPlatform({ zlmUrl: config === "direct" ? zlmUrl : rig.tapUrl, secret, channels, seed, rtpHost: "127.0.0.1", logger });
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const t0 = Date.now();
  await platform.stop();
  const t1 = Date.now();
  await new Promise((r) => setTimeout(r, 1000)); // the last recordings and hooks land
  const events: PortscopeEvent[] = [];
  for (let afterId = 0; ; ) {
    const page = await rig.store.query({ kinds: AUDITED, afterId, limit: 10_000 });
    events.push(...page);
    if (page.length < 10_000) break;
    afterId = page[page.length - 1].id;
  }
  if (process.env.BENCH_DEBUG) for (const e of events) if (e.kind === "shield.decision") console.log(`  ${((e.at - t) / 1000).toFixed(2)} ${config} decision ${e.key}: ${JSON.stringify(e.payload.evidence)}`);
  const liveClosed = liveServersClosedByShield(events);
  for (const c of liveClosed) console.log(`  ! ${config}: the shield closed ${c.key} port ${c.port}, which had ${c.mediaEvent}`);
  if (realUrl) {
    // One ZLM serves every configuration: leave it empty for the next.
    const client = createZlmClient({ id: "zlm", url: realUrl, secret });
    for (const s of await client.listRtpServer()) await client.closeRtpServer({ stream_id: s.stream_id, vhost: s.vhost, app: s.app });
  }
  const t2 = Date.now();
  await rig.stop();
  emu?.stop();
  if (process.env.BENCH_DEBUG) console.log(`  stop ${t1 - t0} ms, audit ${t2 - t1} ms, rig stop ${Date.now() - t2} ms`);
  return { summary: summarizePlays(platform.stats()), liveClosed: liveClosed.length, decisions: decisionCounts(events) };
}

async function main() {
  const started = new Date();
  const load = os.loadavg()[0];
  const rows: Parameters<typeof playTable>[0] = [];
  const decisions: Record<string, Record<string, number>> = {};
  for (const config of only) {
    process.stdout.write(`${config}: ${seconds} s, ${channels} channels, seed ${seed} ...\n`);
    const r = await runOne(config);
    rows.push({ name: config === "direct" ? "direct to ZLM" : `tap, shield ${config}`, summary: r.summary, extra: config === "direct" ? "—" : String(r.liveClosed) });
    decisions[config] = r.decisions;
    if (realUrl) await new Promise((res) => setTimeout(res, 3000));
  }
  console.log(`\nwvp-like platform, ${channels} channels, ${seconds} s per configuration, seed ${seed}, ZLM ${realUrl || "emulator"} timeoutSec ${timeoutSec}; ${started.toISOString()}; load ${load.toFixed(1)} -> ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores\n`);
  console.log(playTable(rows));
  console.log("\nShield decisions per configuration:");
  for (const [config, counts] of Object.entries(decisions)) {
    const list = Object.entries(counts).sort((a, b) => b[1] - a[1]);
    if (list.length) console.log(`  ${config}: ${list.map(([d, n]) => `${n}× "${d}"`).join("; ")}`);
  }
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
