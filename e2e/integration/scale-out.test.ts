import { afterAll, beforeAll, expect, it } from "vitest";
import pg from "pg";
import { startEmulator, type Emulator } from "@/lib/sim/emulator";
import { startApp, type AppProcess } from "@/lib/testing/app-process";
import { openSse, type SseFrame } from "@/lib/testing/sse-client";
import { STATE_FRAME } from "@/lib/live/state-frame";
import { zlmCall } from "@/lib/testing/zlm-call";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/pg-test-db";
import { describePg } from "@/lib/testing/describe-pg";

/**
 * Two built app processes on one PostgreSQL log, one emulated ZLM node:
 * hooks taken by either reach SSE clients of both in log order, and killing
 * the instance that polls the node moves polling to the other, without a
 * reconcile event missing or told twice.
 */
const SECRET = "so-secret";
const TOKEN = "so-token";
const NODE = "zlm-so";
let db: TestDatabase;
let emu: Emulator;
let sql: pg.Client;
const apps: AppProcess[] = [];

interface LogRow {
  id: number;
  kind: string;
  key: string | null;
  source: string;
  payload: { id?: string };
}

const logRows = async (afterId = 0): Promise<LogRow[]> => (await sql.query<LogRow>("SELECT id::float8 AS id, kind, key, source, payload FROM events WHERE id > $1 ORDER BY id", [afterId])).rows;
const health = async (app: AppProcess) => (await (await fetch(`${app.url}/api/health`)).json()) as { log: string; polling: string[]; nodes: { id: string; state: string }[] };
const eventFrames = (frames: SseFrame[]) => frames.filter((f) => f.event !== STATE_FRAME && f.event !== "reset" && f.id !== null);

async function until<T>(what: string, ms: number, probe: () => Promise<T | null | false>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function postFlow(app: AppProcess, tag: string, i: number): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${app.zlmPort}/api/hooks/on_flow_report?token=${TOKEN}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ app: "rtp", duration: 3, hook_index: 50_000 + i, id: `${tag}-${String(i).padStart(3, "0")}`, ip: "127.0.0.1", mediaServerId: NODE, params: "", player: false, port: 5000, schema: "rtp", stream: `flow_${tag}`, totalBytes: 1000 + i, vhost: "__defaultVhost__" }),
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ code: 0, msg: "success" });
}

describePg("two instances on one PostgreSQL", () => {
  beforeAll(async () => {
    db = await createTestDatabase("portscope_it");
    sql = new pg.Client({ connectionString: db.url });
    emu = await startEmulator({ secret: SECRET, mediaServerId: NODE, hookUrl: null, timeoutSec: 60, portRange: [27900, 28100], aliveIntervalSec: 3600, seed: 11 });
    const env = { DATABASE_URL: db.url, ZLM_URL: emu.url, ZLM_SECRET: SECRET, ZLM_NODE_ID: NODE, PORTSCOPE_HOOK_TOKEN: TOKEN, PORTSCOPE_POLL_INTERVAL_MS: "300" };
    // One after the other: the first migrates the new database, the second finds it migrated.
    apps.push(await startApp(env, { readyTimeoutMs: 60_000 }));
    apps.push(await startApp(env, { readyTimeoutMs: 60_000 }));
    await sql.connect();
  }, 120_000);

  afterAll(async () => {
    for (const a of apps) await a.kill("SIGKILL");
    await sql?.end().catch(() => undefined);
    await emu?.stop();
    await db?.drop();
  });

  it("streams a hook posted to A to an SSE client of B, in log order, and replays on B after Last-Event-ID", async () => {
    const [a, b] = apps;
    expect((await health(a)).log).toBe("postgres");
    const viewer = (await b.signInAs("viewer")).headers;
    const sse = openSse(`${b.url}/api/events`, null, undefined, viewer);
    await sse.ready;
    for (let i = 0; i < 40; i++) await postFlow(a, "seq", i);
    // Concurrent hooks to both instances: one order for all, whichever took them.
    await Promise.all(Array.from({ length: 60 }, (_, i) => postFlow(i % 2 ? a : b, "mix", i)));
    const tagged = (frames: SseFrame[]) => eventFrames(frames).map((f) => JSON.parse(f.data) as LogRow).filter((e) => /^(seq|mix)-/.test(e.payload.id ?? ""));
    await sse.waitFor((f) => tagged(f).length >= 100, 15_000);
    sse.close();

    const got = tagged(sse.frames);
    expect(got.filter((e) => e.payload.id!.startsWith("seq-")).map((e) => e.payload.id)).toEqual(Array.from({ length: 40 }, (_, i) => `seq-${String(i).padStart(3, "0")}`));
    expect(new Set(got.map((e) => e.payload.id)).size).toBe(100);
    // B's stream is the log itself over that span: every id, in order, none twice.
    const ids = eventFrames(sse.frames).map((f) => Number(f.id));
    const log = (await logRows(ids[0] - 1)).filter((r) => r.id <= ids[ids.length - 1]).map((r) => r.id);
    expect(ids).toEqual(log);

    const from = got[50].id;
    const replay = openSse(`${b.url}/api/events`, from, undefined, viewer);
    await replay.ready;
    await replay.waitFor((f) => eventFrames(f).some((x) => Number(x.id) >= got[99].id), 10_000);
    replay.close();
    const replayed = eventFrames(replay.frames).map((f) => Number(f.id));
    expect(replayed).toEqual((await logRows(from)).map((r) => r.id).filter((id) => id <= replayed[replayed.length - 1]));
  });

  it("moves polling of the node to the surviving instance within 10 s of killing its poller, with no reconcile event missing or doubled", async () => {
    const pollerOf = () => until("one instance to poll the node", 10_000, async () => {
      const hs = await Promise.all(apps.map((a) => (a.child.exitCode === null && a.child.signalCode === null ? health(a).catch(() => null) : null)));
      const holders = apps.filter((_, i) => hs[i]?.polling.includes(NODE));
      return holders.length === 1 ? holders[0] : null;
    });
    const holder = await pollerOf();
    const survivor = apps.find((a) => a !== holder)!;
    // The instance that does not poll shows the node as the poller's events tell it, not "checking".
    expect((await health(survivor)).nodes.find((n) => n.id === NODE)?.state).toBe("reachable");
    const before = (await logRows()).at(-1)?.id ?? 0;
    const keyOf = (s: string) => `__defaultVhost__/rtp/${s}`;
    const opened = (rows: LogRow[], s: string) => rows.filter((r) => r.kind === "rtp.opened" && r.key === keyOf(s));

    for (const s of ["fo_1", "fo_2", "fo_3"]) expect((await zlmCall(emu.url, "openRtpServer", { secret: SECRET, port: 0, stream_id: s })).json?.code).toBe(0);
    await until("the holder to see fo_1..3", 10_000, async () => {
      const rows = await logRows(before);
      return ["fo_1", "fo_2", "fo_3"].every((s) => opened(rows, s).length > 0);
    });

    await holder.kill("SIGKILL");
    const killedAt = Date.now();
    // Changes while nobody polls: the survivor must find each of them once it takes over.
    for (const s of ["fo_4", "fo_5", "fo_6"]) expect((await zlmCall(emu.url, "openRtpServer", { secret: SECRET, port: 0, stream_id: s })).json?.code).toBe(0);
    expect((await zlmCall(emu.url, "closeRtpServer", { secret: SECRET, stream_id: "fo_1" })).json?.code).toBe(0);

    await until("the survivor to poll the node", 10_000, async () => (await health(survivor)).polling.includes(NODE));
    const tookOverMs = Date.now() - killedAt;
    console.log(`scale-out: polling moved to the surviving instance ${tookOverMs} ms after SIGKILL`);
    expect(tookOverMs).toBeLessThanOrEqual(10_000);

    await until("fo_4..6 opened and fo_1 released", 15_000, async () => {
      const rows = await logRows(before);
      return ["fo_4", "fo_5", "fo_6"].every((s) => opened(rows, s).length > 0) && rows.some((r) => r.kind === "rtp.released" && r.key === keyOf("fo_1"));
    });
    // Several more polls by the survivor: nothing it sees may be told again.
    const settledAt = (await logRows()).at(-1)!.id;
    await until("three more polls", 10_000, async () => {
      const h = (await (await fetch(`${survivor.url}/api/health`)).json()) as { pollers: { lastPollAt: number | null }[] };
      return (h.pollers[0]?.lastPollAt ?? 0) > Date.now() - 200 && Date.now() - killedAt > tookOverMs + 1500;
    });
    const rows = await logRows(before);
    for (const s of ["fo_1", "fo_2", "fo_3", "fo_4", "fo_5", "fo_6"]) expect(opened(rows, s), s).toHaveLength(1);
    expect(rows.filter((r) => r.kind === "rtp.released" && r.key === keyOf("fo_1"))).toHaveLength(1);
    expect(rows.filter((r) => r.key?.includes("fo_") && r.kind === "rtp.released" && r.key !== keyOf("fo_1"))).toEqual([]);
    expect((await logRows()).filter((r) => r.kind === "node.online")).toHaveLength(1);
    expect((await logRows()).filter((r) => r.kind === "node.config")).toHaveLength(1);
    expect(rows.filter((r) => r.id > settledAt && r.key?.includes("fo_"))).toEqual([]);

    // The survivor's model agrees with the log: fo_1 released, the other five waiting.
    const sessions = (await (await survivor.fetch(`${survivor.url}/api/sessions?node=${NODE}&limit=100`)).json()) as { sessions: { key: string; state: string }[] };
    const state = (s: string) => sessions.sessions.find((x) => x.key === keyOf(s))?.state;
    expect(state("fo_1")).toBe("released");
    for (const s of ["fo_2", "fo_3", "fo_4", "fo_5", "fo_6"]) expect(state(s), s).toBe("waiting");
  });
});

