import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmulator, type Emulator } from "@/lib/sim/emulator";
import { freePort, startApp, type AppProcess, type SignedIn } from "@/lib/testing/app-process";
import { closeRequestSchema, pauseRequestSchema, preflightRequestSchema, reopenRequestSchema, timeoutRequestSchema } from "@/lib/actions/request-schema";
import { incidentMarkSchema } from "@/lib/actions/incident-marks";

/**
 * Generated bad input against the running app, over HTTP: every action route,
 * the timeout route, incident marks, sign-in, the hook routes (Next's and the
 * lean listener), the tap and the read routes' parameters. Each answer is a
 * 4xx with a JSON error, the process stays up, and nothing stored changes
 * (only the records of refused input are added). Prints the count.
 */
const SECRET = "fuzz-secret-31337";
const TOKEN = "fuzz-hook-token";
const NODE = "zlm-fz";
const range = (): [number, number] => {
  const m = /^(\d+)-(\d+)$/.exec(process.env.E2E_DEMO_PORT_RANGE_IT ?? "");
  return m ? [Number(m[2]) - 700, Number(m[2]) - 400] : [28400, 28700];
};
let emu: Emulator;
let app: AppProcess;
let admin: SignedIn;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-fuzz-"));
  const hookPort = await freePort();
  emu = await startEmulator({ secret: SECRET, mediaServerId: "zlm-fz", hookUrl: `http://127.0.0.1:${hookPort}/api/hooks?token=${TOKEN}`, timeoutSec: 30, portRange: range(), aliveIntervalSec: 3600, seed: 11 });
  app = await startApp({ ZLM_URL: emu.url, ZLM_SECRET: SECRET, ZLM_NODE_ID: NODE, PORTSCOPE_DB: path.join(dir, "p.db"), PORTSCOPE_HOOK_TOKEN: TOKEN, PORTSCOPE_POLL_INTERVAL_MS: "1000", PORTSCOPE_ACTIONS_PER_MINUTE: "100000" }, { zlmPort: hookPort });
  admin = await app.signInAs("admin");
  // The emulator started before the hook listener, so its on_server_started arrives on a retry:
  // wait for it, or it lands mid-run and looks like something the fuzz stored.
  for (const end = Date.now() + 30_000; Date.now() < end; await new Promise((r) => setTimeout(r, 250))) {
    const log = (await (await admin.fetch(`${app.url}/api/log?kind=node.started&limit=10`)).json()) as { events: unknown[] };
    if (log.events.length > 0) break;
  }
}, 90_000);

afterAll(async () => {
  await app?.kill();
  await emu?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** What "stored" means here: every event except the records of refused input, and the session rows. */
async function storedState() {
  const log = (await (await admin.fetch(`${app.url}/api/log?limit=10000`)).json()) as { events: { id: number; kind: string; source: string }[] };
  const kept = log.events.filter((e) => e.kind !== "hook.rejected" && e.kind !== "auth.signin_failed" && e.kind !== "auth.signed_in" && e.source !== "poll" && e.source !== "system");
  const sessions = (await (await admin.fetch(`${app.url}/api/sessions?limit=1000`)).json()) as { sessions: { id: string; state: string }[] };
  return { events: kept.map((e) => `${e.id}:${e.kind}`), sessions: sessions.sessions.map((s) => `${s.id}:${s.state}`).sort() };
}

let sent = 0;
async function expect4xxJson(res: Response, what: string) {
  sent++;
  const text = await res.text();
  expect(res.status >= 400 && res.status < 500, `${what}: HTTP ${res.status} ${text.slice(0, 200)}`).toBe(true);
  expect(() => JSON.parse(text), `${what}: not JSON: ${text.slice(0, 200)}`).not.toThrow();
}

const refusedBy = (schema: { safeParse(v: unknown): { success: boolean } }) => fc.oneof(fc.jsonValue(), fc.dictionary(fc.constantFrom("stream_id", "vhost", "app", "reason", "port", "tcp_mode", "ssrc", "keep", "confirmClose", "pause_seconds", "timeoutSec", "incidentId", "op", "minutes", "extra"), fc.jsonValue())).filter((v) => !schema.safeParse(v).success);
const notJson = fc.string().filter((s) => {
  try {
    JSON.parse(s);
    return false;
  } catch {
    return true;
  }
});
const post = (url: string, body: string, who: SignedIn | null = admin) => (who ? who.fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body }) : fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body }));

describe("generated bad input over HTTP", () => {
  it("every bad request gets a 4xx JSON error, the app stays up and nothing stored changes", async () => {
    const before = await storedState();
    const runs = (n: number) => ({ numRuns: n, endOnFailure: true });
    const actionSchemas = { preflight: preflightRequestSchema, close: closeRequestSchema, reopen: reopenRequestSchema, pause: pauseRequestSchema, resume: pauseRequestSchema } as const;

    // Action routes: each action with a body its schema refuses, or no JSON at all.
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...(Object.keys(actionSchemas) as (keyof typeof actionSchemas)[])).chain((a) => fc.tuple(fc.constant(a), fc.oneof(refusedBy(actionSchemas[a]).map((v) => JSON.stringify(v)), notJson))), async ([action, body]) => {
        await expect4xxJson(await post(`${app.url}/api/nodes/${NODE}/rtp/${action}`, body), `${action} ${body.slice(0, 80)}`);
      }),
      runs(1500),
    );
    // Unknown actions and unknown nodes with well-formed bodies.
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/).filter((a) => !(a in actionSchemas)), fc.stringMatching(/^[A-Za-z0-9_.-]{1,20}$/).filter((n) => n !== NODE && !/^\.+$/.test(n)), async (action, node) => {
        await expect4xxJson(await post(`${app.url}/api/nodes/${NODE}/rtp/${action}`, JSON.stringify({ stream_id: "x", reason: "fuzz" })), `action ${action}`);
        await expect4xxJson(await post(`${app.url}/api/nodes/${node}/rtp/close`, JSON.stringify({ stream_id: "x", reason: "fuzz" })), `node ${node}`);
      }),
      runs(300),
    );
    // rtp_proxy.timeoutSec and incident marks.
    await fc.assert(
      fc.asyncProperty(fc.oneof(refusedBy(timeoutRequestSchema).map((v) => JSON.stringify(v)), notJson), async (body) => {
        await expect4xxJson(await post(`${app.url}/api/nodes/${NODE}/config/timeout`, body), `timeout ${body.slice(0, 80)}`);
      }),
      runs(400),
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(refusedBy(incidentMarkSchema).map((v) => JSON.stringify(v)), notJson, fc.constant(JSON.stringify({ incidentId: "no-such", op: "acknowledge", reason: "fuzz" }))), async (body) => {
        await expect4xxJson(await post(`${app.url}/api/incidents`, body), `incident ${body.slice(0, 80)}`);
      }),
      runs(400),
    );
    // Sign-in: bad bodies (and, past the rate limit, 429: still a JSON 4xx).
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), notJson, fc.record({ user: fc.string(), password: fc.string() }).map((v) => JSON.stringify(v))), async (body) => {
        await expect4xxJson(await post(`${app.url}/api/auth/signin`, body, null), `signin ${body.slice(0, 80)}`);
      }),
      runs(300),
    );
    // Hooks on Next's route and on the lean listener: wrong tokens, bad names, bad bodies. ("." and ".." are path steps, not names: fetch resolves them away before sending.)
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(`${app.url}/api/hooks`, `http://127.0.0.1:${app.zlmPort}/api/hooks`), fc.oneof(fc.constantFrom("on_publish", "on_stream_changed", "on_rtp_server_timeout", "on_server_keepalive"), fc.stringMatching(/^[A-Za-z0-9_%.-]{1,30}$/).filter((h) => !/^\.+$/.test(h))), fc.boolean(), fc.oneof(notJson, fc.jsonValue().filter((v) => !v || typeof v !== "object" || Array.isArray(v)).map((v) => JSON.stringify(v))), async (base, hook, rightToken, body) => {
        const res = await fetch(`${base}/${encodeURIComponent(hook)}?token=${rightToken ? TOKEN : "wrong-token"}`, { method: "POST", headers: { "content-type": "application/json" }, body });
        await expect4xxJson(res, `hook ${hook} ${body.slice(0, 60)}`);
      }),
      runs(1500),
    );
    // The tap: unknown nodes, in both methods.
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[A-Za-z0-9_.-]{1,20}$/).filter((n) => n !== NODE && !/^\.+$/.test(n)), fc.constantFrom("openRtpServer", "closeRtpServer", "listRtpServer", "getRtpInfo"), fc.constantFrom("GET", "POST"), async (node, endpoint, method) => {
        await expect4xxJson(await fetch(`${app.url}/zlm/${node}/index/api/${endpoint}?secret=${SECRET}`, { method, ...(method === "POST" ? { body: "{}" } : {}) }), `tap ${node}`);
      }),
      runs(300),
    );
    // Read routes' parameters.
    const reads = ["/api/sessions", "/api/log", "/api/events", "/api/media", "/api/incidents", "/api/diagnosis", "/api/audit"];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...reads), fc.constantFrom("port", "limit", "from", "to", "after", "kind", "order", "format", "live", "bucketMs", "offset"), fc.oneof(fc.string(), fc.constantFrom("-1", "1e99", "NaN", "abc", "99999999999999999999")), fc.stringMatching(/^[a-z_]{1,12}$/).filter((n) => !["port", "limit", "from", "to", "after", "kind", "order", "format", "live", "bucketMs", "offset", "node", "key", "q", "state", "user", "stream", "app", "vhost", "schema"].includes(n)), async (route, name, value, unknown) => {
        // A known parameter with any value, plus one no route knows: the strict schemas must refuse it.
        const res = await admin.fetch(`${app.url}${route}?${new URLSearchParams({ [name]: value, [unknown]: value })}`);
        await expect4xxJson(res, `${route}?${name}=${value}`);
      }),
      runs(600),
    );

    expect(app.child.exitCode, "the app is still running").toBeNull();
    expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
    expect(await storedState()).toEqual(before);
    console.log(`fuzz (HTTP routes): ${sent} generated bad requests, every one a 4xx JSON error; app up; stored events and sessions unchanged`);
    expect(sent).toBeGreaterThanOrEqual(5000);
  }, 240_000);
});
