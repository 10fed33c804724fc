import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmulator, type Emulator } from "@/lib/sim/emulator";
import { freePort, startApp, type AppProcess } from "@/lib/testing/app-process";
import { zlmCall } from "@/lib/testing/zlm-call";

/**
 * Fault: the ZLM process is killed mid-session and started again (same
 * address, same mediaServerId, as ZLM keeps it). The node is shown down at
 * the next poll, its ports are released as "node restarted", and after the
 * platform reopens its keys each has exactly one live session.
 */
const SECRET = "restart-secret";
const TOKEN = "restart-token";
const KEYS = ["rs_cam1", "rs_cam2", "rs_cam3"];
const POLL_MS = 500;
const range = (): [number, number] => {
  const m = /^(\d+)-(\d+)$/.exec(process.env.E2E_DEMO_PORT_RANGE_IT ?? "");
  return m ? [Number(m[2]) - 999, Number(m[2]) - 800] : [28800, 29000];
};
let emu: Emulator;
let app: AppProcess;
let dir: string;
let httpPort: number;
let hookPort: number;

type Session = { key: string; state: string; endCause: string | null; releasedAt: number | null };
const sessions = async () => ((await (await app.fetch(`${app.url}/api/sessions?limit=1000`)).json()) as { sessions: Session[] }).sessions.filter((s) => KEYS.some((k) => s.key.endsWith(`/${k}`)));
const nodeOnline = async () => ((await (await app.fetch(`${app.url}/api/nodes`)).json()) as { nodes: { online: boolean }[] }).nodes[0]?.online;
async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`${what}: not reached in ${ms} ms; last ${JSON.stringify(v).slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const start = () => startEmulator({ secret: SECRET, mediaServerId: "zlm-rs", httpPort, hookUrl: `http://127.0.0.1:${hookPort}/api/hooks?token=${TOKEN}`, timeoutSec: 60, portRange: range(), aliveIntervalSec: 3600, seed: 9 });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-restart-"));
  httpPort = await freePort();
  hookPort = await freePort();
  emu = await start();
  app = await startApp({ ZLM_URL: emu.url, ZLM_SECRET: SECRET, ZLM_NODE_ID: "zlm-rs", PORTSCOPE_DB: path.join(dir, "p.db"), PORTSCOPE_HOOK_TOKEN: TOKEN, PORTSCOPE_POLL_INTERVAL_MS: String(POLL_MS) }, { zlmPort: hookPort });
}, 60_000);

afterAll(async () => {
  await app?.kill();
  await emu?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the emulator killed and restarted mid-session", () => {
  it("shows the node down, releases its ports as 'node restarted', and recovers without duplicate sessions", async () => {
    for (const k of KEYS) expect((await zlmCall(emu.url, "openRtpServer", { secret: SECRET, port: 0, stream_id: k })).json?.code).toBe(0);
    await until("three live sessions", sessions, (s) => s.filter((x) => x.state === "waiting").length === 3);

    const killedAt = Date.now();
    await emu.stop();
    await until("node down", nodeOnline, (online) => online === false);
    const downAfterMs = Date.now() - killedAt;
    // Still held: nothing proves the ports free while the node is unreachable.
    expect((await sessions()).filter((s) => s.state === "waiting").length).toBe(3);

    emu = await start();
    await until("node up", nodeOnline, (online) => online === true);
    const released = await until("ports released", sessions, (s) => s.filter((x) => x.releasedAt !== null).length === 3);
    expect(released.map((s) => s.endCause)).toEqual(["node restarted", "node restarted", "node restarted"]);

    for (const k of KEYS) expect((await zlmCall(emu.url, "openRtpServer", { secret: SECRET, port: 0, stream_id: k })).json?.code).toBe(0);
    const after = await until("reopened", sessions, (s) => s.filter((x) => x.state === "waiting").length === 3);
    for (const k of KEYS) {
      const ofKey = after.filter((s) => s.key.endsWith(`/${k}`));
      expect(ofKey.map((s) => s.state).sort(), k).toEqual(["released", "waiting"]);
    }
    // A few polls later nothing has doubled.
    await new Promise((r) => setTimeout(r, 3 * POLL_MS));
    expect((await sessions()).length).toBe(6);
    console.log(`fault (node restart): node shown down ${downAfterMs} ms after the kill (poll every ${POLL_MS} ms); 3 ports released "node restarted"; 3 reopened, no duplicate`);
  }, 90_000);
});
