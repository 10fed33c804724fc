import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmulator, type Emulator } from "@/lib/sim/emulator";
import { freePort, startApp, type AppProcess, type SignedIn } from "@/lib/testing/app-process";
import { openSse } from "@/lib/testing/sse-client";

/**
 * Access control on the built app against the emulator: addresses a client
 * cannot forge (the hook allow-list), a trusted proxy's X-Forwarded-For,
 * and secret hygiene: every page, API answer, export and an SSE sample, as
 * each role, never shows the ZLM secret or the hook token.
 */
const SECRET = "zlm-secret-must-not-leak-4711";
const TOKEN = "hook-token-must-not-leak-0815";
const NODE = "zlm-acc";
const FAR = "10.1.2.3";
const range = (): [number, number] => {
  const m = /^(\d+)-(\d+)$/.exec(process.env.E2E_DEMO_PORT_RANGE_IT ?? "");
  return m ? [Number(m[2]) - 300, Number(m[2])] : [28000, 28300];
};
let emu: Emulator;
let dir: string;
const apps: AppProcess[] = [];

const env = (extra: Record<string, string>) => ({ ZLM_URL: emu.url, ZLM_SECRET: SECRET, ZLM_NODE_ID: NODE, PORTSCOPE_HOOK_TOKEN: TOKEN, PORTSCOPE_HOOK_ALLOW: FAR, PORTSCOPE_POLL_INTERVAL_MS: "300", ...extra });
const keepalive = (url: string, headers: Record<string, string>) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ mediaServerId: "zlm-acc", hook_index: 1, data: {} }) });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-access-"));
  const hookPort = await freePort();
  emu = await startEmulator({ secret: SECRET, mediaServerId: "zlm-acc", hookUrl: `http://127.0.0.1:${hookPort}/api/hooks?token=${TOKEN}`, timeoutSec: 30, portRange: range(), aliveIntervalSec: 3600, seed: 5 });
  apps.push(await startApp(env({ PORTSCOPE_DB: path.join(dir, "a.db") }), { zlmPort: hookPort }));
}, 60_000);

afterAll(async () => {
  for (const a of apps) await a.kill();
  await emu?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("client addresses", () => {
  it("a forged X-Forwarded-For (or peer header) does not pass the hook allow-list", async () => {
    const app = apps[0];
    const forged: Record<string, string>[] = [{ "x-forwarded-for": FAR }, { "x-forwarded-for": `${FAR}, ${FAR}` }, { "x-portscope-peer": FAR }, { "x-real-ip": FAR }];
    for (const headers of forged) {
      const viaNext = await keepalive(`${app.url}/api/hooks/on_server_keepalive?token=${TOKEN}`, headers);
      expect(viaNext.status, JSON.stringify(headers)).toBe(403);
      expect(((await viaNext.json()) as { reason: string }).reason).toBe("forbidden_source");
      const viaListener = await keepalive(`http://127.0.0.1:${app.zlmPort}/api/hooks/on_server_keepalive?token=${TOKEN}`, headers);
      expect(viaListener.status).toBe(403);
    }
    // The refusal names the real (socket) address in the log, not the forged one.
    const log = (await (await app.fetch(`${app.url}/api/log?kind=hook.rejected&order=desc&limit=1`)).json()) as { events: { payload: { detail?: string; reason: string } }[] };
    expect(JSON.stringify(log.events[0].payload)).toContain("127.0.0.1");
  });

  it("X-Forwarded-For counts only from a configured trusted proxy, and only its untrusted hop", async () => {
    const trusted = await startApp(env({ PORTSCOPE_DB: path.join(dir, "b.db"), PORTSCOPE_TRUSTED_PROXIES: "127.0.0.1", PORTSCOPE_ZLM_PORT: "off" }));
    apps.push(trusted);
    const hook = `${trusted.url}/api/hooks/on_server_keepalive?token=${TOKEN}`;
    expect((await keepalive(hook, { "x-forwarded-for": FAR })).status).toBe(200);
    // The client put FAR in front; the proxy (us) appended the address it saw: that one is the client.
    expect((await keepalive(hook, { "x-forwarded-for": `${FAR}, 6.6.6.6` })).status).toBe(403);
    expect((await keepalive(hook, {})).status).toBe(403);
    // The audit log records the address the proxy saw.
    const op = await trusted.signInAs("operator");
    await op.fetch(`${trusted.url}/api/nodes/${NODE}/rtp/close`, { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": "192.0.2.7" }, body: JSON.stringify({ stream_id: "nothing_here", reason: "address check" }) });
    const admin = await trusted.signInAs("admin");
    const audit = (await (await admin.fetch(`${trusted.url}/api/audit`)).json()) as { records: { reason: string | null; clientAddress: string | null; user: string | null }[] };
    expect(audit.records.find((r) => r.reason === "address check")).toMatchObject({ user: "operator", clientAddress: "192.0.2.7" });
  });
});

describe("secret hygiene", () => {
  it("no page, API answer, export, SSE frame or log line shows the ZLM secret or the hook token, for any role", async () => {
    const app = apps[0];
    // Put secrets where they could leak from: a tapped call carrying the secret, a failing action, sign-ins.
    await fetch(`${app.url}/zlm/${NODE}/index/api/openRtpServer?secret=${SECRET}&port=0&stream_id=hyg1`);
    await fetch(`${app.url}/zlm/${NODE}/index/api/listRtpServer?secret=${SECRET}`);
    await fetch(`${app.url}/zlm/${NODE}/index/api/getServerConfig`, { headers: { secret: SECRET } });
    await fetch(`${app.url}/api/auth/signin`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user: "admin", password: SECRET }) });
    const admin = await app.signInAs("admin");
    await admin.fetch(`${app.url}/api/nodes/${NODE}/rtp/reopen`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ stream_id: "hyg1", reason: "hygiene", confirmClose: true }) });
    await admin.fetch(`${app.url}/api/nodes/${NODE}/config/timeout`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ timeoutSec: 30, reason: "hygiene" }) });

    const sessions = (await (await admin.fetch(`${app.url}/api/sessions?limit=5`)).json()) as { sessions: { id: string; key: string; port: number | null }[] };
    const s = sessions.sessions[0];
    expect(s, "the tapped open made a session").toBeTruthy();
    const pages = ["/", "/wall", "/search?q=hyg", "/audit", "/signin", `/streams/${s.key}`, `/ports/${NODE}/${s.port ?? 0}`];
    const apis = [
      "/api/nodes", "/api/health", "/api/sessions", "/api/sessions?live=1", `/api/sessions/${encodeURIComponent(s.id)}/events`, "/api/log?limit=5000", "/api/log?format=csv&limit=5000", "/api/log?format=ndjson&limit=5000",
      "/api/model", "/api/anomalies", "/api/incidents", "/api/media", "/api/diagnosis", `/api/nodes/${NODE}/config/timeout`, "/api/audit", "/api/audit?format=csv", "/api/auth/me",
    ];
    let scanned = 0;
    let bytes = 0;
    const scan = (what: string, text: string) => {
      scanned++;
      bytes += text.length;
      expect(text.includes(SECRET), `${what} shows the ZLM secret`).toBe(false);
      expect(text.includes(TOKEN), `${what} shows the hook token`).toBe(false);
    };
    const clients: (SignedIn | null)[] = [null, await app.signInAs("viewer"), await app.signInAs("operator"), admin];
    for (const who of clients) {
      const get = (p: string) => (who ? who.fetch(`${app.url}${p}`, { redirect: "manual" }) : fetch(`${app.url}${p}`, { redirect: "manual" }));
      const scripts = new Set<string>();
      for (const p of [...pages, ...apis]) {
        const res = await get(p);
        const text = await res.text();
        scan(`${who?.user ?? "signed out"} ${p} (${res.status})`, text + JSON.stringify([...res.headers]));
        for (const m of text.matchAll(/src="(\/_next\/static\/[^"]+\.js)"/g)) scripts.add(m[1]);
      }
      for (const js of scripts) scan(js, await (await fetch(`${app.url}${js}`)).text());
      if (who) {
        const sse = openSse(`${app.url}/api/events?after=0`, null, undefined, who.headers);
        await sse.ready;
        await sse.waitFor((frames) => frames.length > 20, 10_000).catch(() => undefined);
        sse.close();
        scan(`${who.user} SSE`, JSON.stringify(sse.frames));
      }
    }
    scan("the server's own output", app.output());
    console.log(`secret hygiene: ${scanned} answers scanned (${Math.round(bytes / 1024)} KiB) as signed-out, viewer, operator and admin`);
    expect(scanned).toBeGreaterThan(80);
  });
});

describe("sign-in", () => {
  it("is rate-limited per address, and every attempt is in the audit log", async () => {
    const app = await startApp(env({ PORTSCOPE_DB: path.join(dir, "c.db"), PORTSCOPE_SIGNIN_PER_MINUTE: "4", PORTSCOPE_ZLM_PORT: "off" }));
    apps.push(app);
    const admin = await app.signInAs("admin");
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await fetch(`${app.url}/api/auth/signin`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user: "admin", password: "wrong" }) })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const audit = (await (await admin.fetch(`${app.url}/api/audit`)).json()) as { records: { what: string; user: string | null; ok: boolean; result: string }[] };
    const signins = audit.records.filter((r) => r.what === "signin");
    expect(signins.filter((r) => r.ok).length).toBe(1);
    expect(signins.filter((r) => !r.ok && r.result === "bad_credentials").length).toBe(3);
    expect(signins.filter((r) => r.result === "rate_limited").length).toBe(2);
  });
});
