import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { startEmulator, type Emulator } from "@/lib/sim/emulator";
import { freePort, startApp, type AppProcess } from "@/lib/testing/app-process";
import { zlmCall } from "@/lib/testing/zlm-call";

/**
 * A node's own tap port (ZLM_TAP_PORT): a platform that can only be given
 * host:port talks to Portscope exactly as to ZLM, and the tap still records,
 * diagnoses and answers byte for byte.
 */
const SECRET = "tapport-secret";
const NODE = "zlm-tp";
let emu: Emulator;
let app: AppProcess;
let dir: string;
let tapPort: number;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-tapport-"));
  emu = await startEmulator({ secret: SECRET, mediaServerId: "zlm-tp", hookUrl: null, timeoutSec: 30, portRange: [27600, 27900], aliveIntervalSec: 3600, seed: 3 });
  tapPort = await freePort();
  app = await startApp({ ZLM_URL: emu.url, ZLM_SECRET: SECRET, ZLM_NODE_ID: NODE, ZLM_TAP_PORT: String(tapPort), PORTSCOPE_DB: path.join(dir, "p.db"), PORTSCOPE_POLL_INTERVAL_MS: "300" });
}, 60_000);

afterAll(async () => {
  await app?.kill();
  await emu?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

type LoggedEvent = { id: number; kind: string; source: string; port: number | null; payload: Record<string, unknown> };
const logOf = async (key: string) => ((await (await app.fetch(`${app.url}/api/log?node=${NODE}&key=${encodeURIComponent(key)}`)).json()) as { events: LoggedEvent[] }).events;

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("per-node tap port", () => {
  it("serves ZLM's own paths: a host:port platform opens, meets 'already exists', and the log has the tap events and the verdict", async () => {
    const platform = `http://127.0.0.1:${tapPort}`;
    const stream = "tp_cam1";
    const key = `__defaultVhost__/rtp/${stream}`;
    // wvp's pattern: ask getRtpInfo, then open.
    expect((await zlmCall(platform, "getRtpInfo", { secret: SECRET, stream_id: stream })).text).toBe('{\n\t"code" : 0,\n\t"exist" : false\n}\n');
    const open = await zlmCall(platform, "openRtpServer", { secret: SECRET, port: 0, stream_id: stream });
    expect(open.text).toMatch(/^\{\n\t"code" : 0,\n\t"port" : \d+\n\}\n$/);
    const port = open.json?.port as number;
    await new Promise((r) => setTimeout(r, 1600)); // past the "opened twice" window: the holder is just waiting
    // The retry after the platform's own timeout: ZLM's real answer, with ZLM's headers.
    const again = await zlmCall(platform, "openRtpServer", {}, { method: "POST", contentType: "application/x-www-form-urlencoded", body: `secret=${SECRET}&port=0&stream_id=${stream}` });
    expect(again.status).toBe(200);
    expect(again.text).toBe('{\n\t"code" : -300,\n\t"msg" : "This stream already exists"\n}\n');
    expect(again.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(again.headers.server).toMatch(/^ZLMediaKit\(/);

    const events = await eventually(() => logOf(key), (evs) => evs.some((e) => e.kind === "rtp.open_failed"));
    const tapped = events.filter((e) => e.source === "tap");
    expect(tapped.map((e) => e.kind)).toEqual(["tap.call", "rtp.opened", "rtp.open_failed"]);
    expect(tapped[1].port).toBe(port);
    const failed = tapped[2].payload;
    expect(failed).toMatchObject({ endpoint: "openRtpServer", code: -300, kind: "conflict", caller: expect.stringMatching(/127\.0\.0\.1/) });
    expect(failed.verdict).toMatchObject({ cause: "a", evidence: { holderPort: port } });
    expect(JSON.stringify(events)).not.toContain(SECRET);

    const stats = (await (await app.fetch(`${app.url}/api/diagnosis?node=${NODE}&bucketMs=60000`)).json()) as { totals: Record<string, number>; recent: { cause: string; key: string; eventId: number }[] };
    expect(stats.totals).toMatchObject({ a: 1, all: 1 });
    expect(stats.recent[0]).toMatchObject({ cause: "a", key, eventId: tapped[2].id });
    await zlmCall(emu.url, "closeRtpServer", { secret: SECRET, stream_id: stream });
  });

  it("answers other paths as ZLM does: its 404 page for an unknown API", async () => {
    for (const p of ["/index/api/noSuchApi", "/nothing/here.html"]) {
      const direct = await fetch(`${emu.url}${p}?secret=${SECRET}`);
      const tapped = await fetch(`http://127.0.0.1:${tapPort}${p}?secret=${SECRET}`);
      expect(tapped.status).toBe(direct.status);
      expect(tapped.headers.get("content-type")).toBe(direct.headers.get("content-type"));
      expect((await tapped.text()).replace(/build time:[^)<]+/g, "")).toBe((await direct.text()).replace(/build time:[^)<]+/g, ""));
    }
  });

  it("answers 422 JSON to a bad diagnosis query", async () => {
    const r = await app.fetch(`${app.url}/api/diagnosis?from=10&to=5`);
    expect(r.status).toBe(422);
    expect(((await r.json()) as { issues: { path: string }[] }).issues[0].path).toBe("from");
  });

  it("stops start-up with the variable's name when the tap port is taken", async () => {
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(0, "127.0.0.1", () => r()));
    const taken = (holder.address() as net.AddressInfo).port;
    try {
      await expect(startApp({ ZLM_URL: emu.url, ZLM_SECRET: SECRET, ZLM_NODE_ID: "zlm-busy", ZLM_TAP_PORT: String(taken), PORTSCOPE_DB: path.join(dir, "busy.db") }, { readyTimeoutMs: 20_000 })).rejects.toThrow(
        new RegExp(`ZLM_TAP_PORT: node "zlm-busy"'s tap listener cannot listen on 127\\.0\\.0\\.1:${taken}: the port is already in use`),
      );
    } finally {
      holder.close();
    }
  }, 40_000);
});
