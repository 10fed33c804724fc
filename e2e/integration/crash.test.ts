import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmulator, type Emulator } from "@/lib/sim/emulator";
import { freePort, startApp, type AppProcess } from "@/lib/testing/app-process";
import { Lifecycle } from "@/lib/lifecycle/reduce";
import type { PortscopeEvent } from "@/lib/events/types";
import Database from "better-sqlite3";
import { openSse, type SseFrame } from "@/lib/testing/sse-client";
import { STATE_FRAME } from "@/lib/live/state-frame";

/**
 * SIGKILL while hooks keep coming: every hook the app acknowledged must be in
 * the log after restart, and the rebuilt model must equal one built from the
 * same events by a process that never crashed.
 */
const SECRET = "crash-secret";
const TOKEN = "crash-token";
let emu: Emulator;
let dir: string;
let zlmPort: number;
const apps: AppProcess[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-crash-"));
  zlmPort = await freePort();
  emu = await startEmulator({ secret: SECRET, mediaServerId: "zlm-crash", hookUrl: null, timeoutSec: 5, portRange: [27600, 27800], aliveIntervalSec: 3600, seed: 3 });
}, 60_000);

afterAll(async () => {
  for (const a of apps) await a.kill("SIGKILL");
  await emu?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Both ways of committing (PORTSCOPE_DB_WRITER): the ack must follow the commit in each. */
function env(writer: "inline" | "thread"): Record<string, string> {
  return { ZLM_URL: emu.url, ZLM_SECRET: SECRET, ZLM_NODE_ID: "zlm-crash", PORTSCOPE_DB: path.join(dir, `crash-${writer}.db`), PORTSCOPE_DB_WRITER: writer, PORTSCOPE_HOOK_TOKEN: TOKEN, PORTSCOPE_POLL_INTERVAL_MS: "500" };
}

/** A stream's hooks as ZLM sends them, tagged by hook_index so each can be found in the log. */
function hookFor(i: number): { name: string; body: Record<string, unknown> } {
  const stream = `crash_${Math.floor(i / 4)}`;
  const base = { app: "rtp", hook_index: 100_000 + i, mediaServerId: "zlm-crash", vhost: "__defaultVhost__" };
  switch (i % 4) {
    case 0:
      return { name: "on_publish", body: { ...base, id: stream, ip: "127.0.0.1", originType: 3, originTypeStr: "rtp_push", params: "", port: 5000 + (i % 1000), protocol: "rtp", schema: "rtp", stream } };
    case 1:
      return { name: "on_rtp_server_timeout", body: { ...base, local_port: 30000 + 2 * (i % 500), re_use_port: false, ssrc: 0, stream_id: stream, tcp_mode: 0 } };
    case 2:
      return { name: "on_flow_report", body: { ...base, duration: 2, id: stream, ip: "127.0.0.1", params: "", player: false, port: 5000, schema: "rtp", stream, totalBytes: 4096 } };
    default:
      return { name: "on_server_keepalive", body: { ...base, data: { Buffer: i } } };
  }
}

describe.each(["inline", "thread"] as const)("crash safety (%s writer)", (writer) => {
  it("loses no acknowledged hook across SIGKILL, and rebuilds the same model", async () => {
    const first = await startApp(env(writer), { zlmPort });
    apps.push(first);
    // A browser tab watching live through the storm and the crash.
    const viewer = await first.signInAs("viewer");
    const tab = openSse(`${first.url}/api/events`, null, undefined, viewer.headers);
    await tab.ready;
    const acked: number[] = [];
    let next = 0;
    let running = true;
    const worker = async () => {
      while (running) {
        const i = next++;
        const h = hookFor(i);
        try {
          const res = await fetch(`http://127.0.0.1:${zlmPort}/api/hooks/${h.name}?token=${TOKEN}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(h.body) });
          const json = (await res.json()) as { code?: number };
          if (res.status === 200 && json.code === 0) acked.push(100_000 + i);
        } catch {
          await new Promise((r) => setTimeout(r, 5)); // refused while the app is down: not acknowledged
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    // Kill in the middle of the storm: once enough hooks were acknowledged (not after a fixed time: a loaded box is slow).
    for (const until = Date.now() + 30_000; acked.length < 200 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
    await first.kill("SIGKILL");
    await new Promise((r) => setTimeout(r, 300));
    running = false;
    await Promise.all(workers);
    expect(acked.length).toBeGreaterThan(100);
    // The file a SIGKILL left behind is a sound database (the WAL is replayed on open).
    const db = new Database(path.join(dir, `crash-${writer}.db`));
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    db.close();

    const second = await startApp(env(writer), { zlmPort });
    apps.push(second);
    await new Promise((r) => setTimeout(r, 1500)); // let the first polls after start land
    const events = await allEvents(second);
    const stored = new Set(events.filter((e) => e.source === "hook").map((e) => e.hookIndex));
    const lost = acked.filter((idx) => !stored.has(idx));
    expect(lost).toEqual([]);

    const reference = new Lifecycle();
    for (const ev of events) reference.apply(ev);
    const model = (await (await second.fetch(`${second.url}/api/model`)).json()) as { lastEventId: number; model: unknown };
    expect(model.lastEventId).toBe(events[events.length - 1].id);

    // The tab saw only committed events, and resuming with its Last-Event-ID brings every later one: no gap.
    const seen = idsOf(tab.frames);
    const storedIds = new Set(events.map((e) => e.id));
    expect(seen.length).toBeGreaterThan(50);
    expect(seen.filter((id) => !storedIds.has(id))).toEqual([]);
    const lastSeen = seen[seen.length - 1];
    const resumed = openSse(`${second.url}/api/events`, lastSeen, undefined, (await second.signInAs("viewer")).headers);
    await resumed.ready;
    const expected = events.filter((e) => e.id > lastSeen).map((e) => e.id);
    await resumed.waitFor((frames) => idsOf(frames).length >= expected.length, 20_000);
    resumed.close();
    expect(idsOf(resumed.frames).slice(0, expected.length)).toEqual(expected);
    console.log(`crash (${writer} writer): ${acked.length} acknowledged hooks, none lost; the tab resumed after event ${lastSeen} with ${expected.length} events, no gap; integrity ok`);
    expect(model.model).toEqual(JSON.parse(JSON.stringify(reference.snapshot())));
    await second.kill(); // frees the hook port for the other writer's run
  });
});

/** The event ids a tab received (state frames carry session rows, not events). */
function idsOf(frames: SseFrame[]): number[] {
  return frames.filter((f) => f.event !== STATE_FRAME).map((f) => (JSON.parse(f.data) as { id: number }).id);
}

async function allEvents(app: AppProcess): Promise<PortscopeEvent[]> {
  const out: PortscopeEvent[] = [];
  let after = 0;
  for (;;) {
    const page = (await (await app.fetch(`${app.url}/api/log?after=${after}&limit=10000`)).json()) as { events: PortscopeEvent[] };
    out.push(...page.events);
    if (page.events.length < 10000) return out;
    after = page.events[page.events.length - 1].id;
  }
}
