import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmulator, type Emulator } from "@/lib/sim/emulator";
import { freePort, startApp, type AppProcess } from "@/lib/testing/app-process";
import { zlmCall } from "@/lib/testing/zlm-call";
import { parsePrometheus, seriesValue, type ParsedMetrics } from "@/lib/testing/prometheus-text";
import { startNotifyReceiver, type NotifyReceiver } from "@/lib/testing/notify-receiver";
import { dingtalkSign, feishuSign } from "@/lib/notify/formats";

/**
 * The built app against the emulator, its hooks on the lean listener: a
 * platform meets "already exists" through the tap and its servers time out
 * without media. /metrics (both ports, with the token) moves with it and
 * parses with a third-party Prometheus parser; the alert rules fire and
 * resolve, and a receiver on 127.0.0.1 gets one firing and one resolved
 * message per alert in every format; a receiver answering 500 is retried
 * with backoff and given up, each attempt recorded.
 */
const SECRET = "metrics-secret";
const NODE = "zlm-m";
const TOKEN = "scrape-token-0123456789";
const SIGN = "SECsigning-secret";
const FORMATS = ["webhook", "wecom", "dingtalk", "feishu", "slack"] as const;
const range = (process.env.E2E_DEMO_PORT_RANGE_IT ?? "53000-53999").split("-").map(Number);
const portRange: [number, number] = [range[0] + 200, range[0] + 299];

let emu: Emulator;
let app: AppProcess;
let receiver: NotifyReceiver;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-metrics-"));
  receiver = await startNotifyReceiver();
  const alertsFile = path.join(dir, "alerts.json");
  fs.writeFileSync(
    alertsFile,
    JSON.stringify({
      channels: [
        ...FORMATS.map((f) => ({ id: `ch-${f}`, format: f, url: `${receiver.url}/${f}`, ...(f === "dingtalk" || f === "feishu" ? { secret: SIGN } : {}) })),
        { id: "down", format: "webhook", url: `${receiver.url}/fail` },
      ],
      rules: [
        { id: "absent", name: "Already exists but absent", on: "incident", kinds: ["exists_but_absent"] },
        { id: "pool", on: "metric", metric: "port_pool_used", op: ">=", threshold: 3, severity: "warning", channels: ["ch-webhook"] },
      ],
      delivery: { attempts: 3, baseDelayMs: 100, maxDelayMs: 400, timeoutMs: 2000 },
      evaluateEveryMs: 200,
    }),
  );
  const zlmPort = await freePort();
  emu = await startEmulator({ secret: SECRET, mediaServerId: "zlm-m", hookUrl: `http://127.0.0.1:${zlmPort}/api/hooks`, timeoutSec: 5, portRange, aliveIntervalSec: 3600, seed: 5 });
  app = await startApp({ ZLM_URL: emu.url, ZLM_SECRET: SECRET, ZLM_NODE_ID: NODE, PORTSCOPE_DB: path.join(dir, "p.db"), PORTSCOPE_POLL_INTERVAL_MS: "300", PORTSCOPE_METRICS_TOKEN: TOKEN, PORTSCOPE_ALERTS: alertsFile }, { zlmPort });
}, 60_000);

afterAll(async () => {
  await app?.kill();
  await emu?.stop();
  await receiver?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const bearer = { authorization: `Bearer ${TOKEN}` };
async function scrape(base: string): Promise<ParsedMetrics> {
  const res = await fetch(`${base}/metrics`, { headers: bearer });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheus(await res.text());
}
const listenerUrl = () => `http://127.0.0.1:${app.zlmPort}`;
const tapUrl = () => `${listenerUrl()}/zlm/${NODE}`;

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 150));
  }
}

type LoggedEvent = { kind: string; payload: Record<string, unknown> };
const logOf = async (kind: string) => ((await (await app.fetch(`${app.url}/api/log?kind=${kind}&limit=500`)).json()) as { events: LoggedEvent[] }).events;

describe("/metrics, alert rules and notifications against the emulator", () => {
  it("refuses a scrape without the token on both ports", async () => {
    for (const base of [app.url, listenerUrl()]) {
      const res = await fetch(`${base}/metrics`);
      expect(res.status, base).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect((await fetch(`${base}/metrics`, { headers: { authorization: "Bearer wrong-token-000000000" } })).status).toBe(401);
    }
  });

  it("moves timeouts, failures by cause and pool use; fires and resolves alerts in every format; retries the 500 receiver", async () => {
    // The node's port range is read on the first slow poll: the pool gauges exist from then on.
    const first = await until(() => scrape(listenerUrl()), (f) => seriesValue(f, "portscope_port_pool_size", { node: NODE }) > 0);
    expect(seriesValue(first, "portscope_port_pool_size", { node: NODE })).toBe(50);
    expect(seriesValue(first, "portscope_port_pool_used", { node: NODE })).toBe(0);
    expect(seriesValue(first, "portscope_rtp_timeouts_total", { node: NODE })).toBe(0);
    expect(first.find((f) => f.name === "process_resident_memory_bytes")).toBeTruthy();

    // wvp's pattern through the tap: check, open, and open again while the first server waits for media.
    const stream = "m_cam1";
    await zlmCall(tapUrl(), "getRtpInfo", { secret: SECRET, stream_id: stream });
    expect((await zlmCall(tapUrl(), "openRtpServer", { secret: SECRET, port: 0, stream_id: stream })).json?.code).toBe(0);
    for (const s of ["m_cam2", "m_cam3", "m_cam4"]) expect((await zlmCall(tapUrl(), "openRtpServer", { secret: SECRET, port: 0, stream_id: s })).json?.code).toBe(0);
    await new Promise((r) => setTimeout(r, 1600)); // past the "opened twice" window: the holder is just waiting
    await zlmCall(tapUrl(), "getRtpInfo", { secret: SECRET, stream_id: stream });
    expect((await zlmCall(tapUrl(), "openRtpServer", { secret: SECRET, port: 0, stream_id: stream })).json?.code).toBe(-300);

    const busy = await until(() => scrape(app.url), (f) => seriesValue(f, "portscope_rtp_open_failures_total", { node: NODE, cause: "a" }) === 1 && seriesValue(f, "portscope_port_pool_used", { node: NODE }) === 4);
    expect(seriesValue(busy, "portscope_port_pool_used", { node: NODE })).toBe(4);
    expect(seriesValue(busy, "portscope_port_pool_used_ratio", { node: NODE })).toBeCloseTo(4 / 50);
    expect(seriesValue(busy, "portscope_rtp_open_failures_total", { node: NODE, code: "-300", kind: "conflict", cause: "a" })).toBe(1);
    expect(seriesValue(busy, "portscope_rtp_opens_total", { node: NODE, source: "tap" })).toBe(4);
    expect(seriesValue(busy, "portscope_rtp_servers", { node: NODE, state: "waiting" })).toBe(4);
    expect(seriesValue(busy, "portscope_incidents", { node: NODE, kind: "exists_but_absent", severity: "warning", state: "open" })).toBe(1);
    expect(seriesValue(busy, "portscope_tap_calls_total", { node: NODE, endpoint: "openRtpServer" })).toBe(5);
    expect(seriesValue(busy, "portscope_tap_added_latency_seconds", { node: NODE, endpoint: "openRtpServer" })).toBe(5); // the histogram's count
    expect(seriesValue(busy, "portscope_poll_duration_seconds", { node: NODE })).toBeGreaterThan(0);

    // No media ever comes: ZLM times every server out (timeoutSec 5), the pool empties, the incident ends.
    const after = await until(() => scrape(listenerUrl()), (f) => seriesValue(f, "portscope_rtp_timeouts_total", { node: NODE }) >= 4 && seriesValue(f, "portscope_port_pool_used", { node: NODE }) === 0, 30_000);
    expect(seriesValue(after, "portscope_rtp_timeouts_total", { node: NODE })).toBe(4);
    expect(seriesValue(after, "portscope_port_pool_used", { node: NODE })).toBe(0);
    expect(seriesValue(after, "portscope_hook_events_total", { node: NODE, kind: "rtp.timed_out" })).toBe(4);
    expect(seriesValue(after, "portscope_hook_commit_lag_seconds", { node: NODE })).toBeGreaterThanOrEqual(4);
    expect(seriesValue(after, "portscope_incidents", { node: NODE, kind: "exists_but_absent" })).toBe(0);

    // Every format got one firing and one resolved message for the incident's alert.
    const absentId = (r: { body: Record<string, unknown> }) => JSON.stringify(r.body).includes("exists_but_absent") || JSON.stringify(r.body).includes("Already exists but absent");
    await until(async () => FORMATS.every((f) => receiver.on(`/${f}`).filter(absentId).length >= 2), (ok) => ok);
    for (const f of FORMATS) {
      const got = receiver.on(`/${f}`).filter(absentId);
      const text = got.map((r) => JSON.stringify(r.body));
      expect(got.length, f).toBe(2);
      expect(text[0], f).toMatch(/FIRING|"status":"firing"/);
      expect(text[1], f).toMatch(/RESOLVED|"status":"resolved"/);
    }
    const [whFiring, whResolved] = receiver.on("/webhook").filter(absentId).map((r) => r.body);
    expect(whFiring).toMatchObject({ source: "portscope", status: "firing", ruleId: "absent", nodeId: NODE, key: `__defaultVhost__/rtp/${stream}`, kind: "exists_but_absent", severity: "warning", endsAt: null });
    expect(whResolved).toMatchObject({ status: "resolved", alertId: whFiring.alertId, startsAt: whFiring.startsAt });
    expect(whResolved.endsAt).toBeGreaterThan(whFiring.startsAt as number);
    expect(receiver.on("/wecom")[0].body).toMatchObject({ msgtype: "markdown", markdown: { content: expect.stringContaining("exists_but_absent") } });
    expect(receiver.on("/slack")[0].body).toMatchObject({ text: expect.stringContaining("[FIRING]"), blocks: [{ type: "section" }] });
    // Signed robots: the signature verifies with the channel's secret and the timestamp sent.
    const ding = receiver.on("/dingtalk")[0];
    expect(ding.body).toMatchObject({ msgtype: "markdown", markdown: { title: expect.stringContaining("[FIRING]") } });
    expect(ding.query.get("sign")).toBe(dingtalkSign(SIGN, Number(ding.query.get("timestamp"))));
    const fei = receiver.on("/feishu")[0].body as { timestamp: string; sign: string; msg_type: string };
    expect(fei.msg_type).toBe("text");
    expect(fei.sign).toBe(feishuSign(SIGN, Number(fei.timestamp)));

    // The metric rule (4 servers >= 3) fired and resolved once, on its one channel.
    const pool = receiver.on("/webhook").filter((r) => r.body.ruleId === "pool").map((r) => r.body.status);
    expect(pool).toEqual(["firing", "resolved"]);

    // The 500 receiver: each message tried 3 times (2 failures with a growing delay, then given up), every attempt recorded.
    const outcomes = await until(
      async () => [...(await logOf("notify.failed")), ...(await logOf("notify.gave_up"))].filter((e) => e.payload.channel === "down"),
      (evs) => evs.filter((e) => e.kind === "notify.gave_up").length >= 2,
    );
    const failed = outcomes.filter((e) => e.kind === "notify.failed");
    const gaveUp = outcomes.filter((e) => e.kind === "notify.gave_up");
    expect(gaveUp.map((e) => e.payload.status).sort()).toEqual(["firing", "resolved"]);
    expect(gaveUp.every((e) => e.payload.attempts === 3 && e.payload.httpStatus === 500 && e.payload.error === "HTTP 500")).toBe(true);
    expect(failed).toHaveLength(4);
    for (const e of failed) expect(e.payload.retryInMs as number).toBeGreaterThanOrEqual(e.payload.attempt === 1 ? 50 : 100);
    expect(receiver.on("/fail")).toHaveLength(6);
    const sent = (await logOf("notify.sent")).filter((e) => e.payload.ruleId === "absent");
    expect(sent.map((e) => e.payload.format).sort()).toEqual([...FORMATS, ...FORMATS].sort());

    const final = await scrape(app.url);
    expect(seriesValue(final, "portscope_notifications_total", { channel: "down", outcome: "gave_up" })).toBe(2);
    expect(seriesValue(final, "portscope_notifications_total", { channel: "down", outcome: "failed" })).toBe(4);
    expect(seriesValue(final, "portscope_notifications_total", { channel: "ch-wecom", outcome: "sent" })).toBe(2);
    expect((await logOf("alert.firing")).map((e) => e.payload.ruleId).sort()).toEqual(["absent", "pool"]);
    expect((await logOf("alert.resolved")).map((e) => e.payload.ruleId).sort()).toEqual(["absent", "pool"]);
  });

  it("sends a sample through the test endpoint and lists the rules and channels without their URLs", async () => {
    const before = receiver.on("/slack").length;
    const res = await app.fetch(`${app.url}/api/alerts/test`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ channel: "ch-slack" }) });
    expect(res.status).toBe(202);
    await until(async () => receiver.on("/slack").length, (n) => n > before);
    expect(JSON.stringify(receiver.on("/slack").at(-1)!.body)).toContain("[TEST]");
    expect((await app.fetch(`${app.url}/api/alerts/test`, { method: "POST", body: JSON.stringify({ channel: "nope" }) })).status).toBe(404);
    expect((await app.fetch(`${app.url}/api/alerts/test`, { method: "POST", body: JSON.stringify({ bogus: 1 }) })).status).toBe(422);
    const overview = (await (await app.fetch(`${app.url}/api/alerts`)).json()) as { rules: { id: string }[]; channels: { id: string; host: string }[] };
    expect(overview.rules.map((r) => r.id)).toEqual(["absent", "pool"]);
    expect(overview.channels.map((c) => c.id)).toContain("ch-dingtalk");
    expect(JSON.stringify(overview)).not.toContain(SIGN);
    expect(JSON.stringify(overview)).not.toContain("/dingtalk");
  });
});

describe("a bad alerts file", () => {
  it("stops start-up with a message naming the variable, the file and the field", async () => {
    const bad = path.join(dir, "bad-alerts.json");
    fs.writeFileSync(bad, JSON.stringify({ rules: [{ id: "r", on: "metric", metric: "cpu", threshold: 1 }] }));
    const started = startApp({ ZLM_URL: emu.url, ZLM_SECRET: SECRET, PORTSCOPE_DB: path.join(dir, "bad.db"), PORTSCOPE_ALERTS: bad });
    await expect(started).rejects.toThrow(/app exited with 1/);
    await expect(started).rejects.toThrow(new RegExp(`Portscope cannot start: PORTSCOPE_ALERTS: ${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: rules\\.0\\.metric: must be one of port_pool_used_ratio`));
  });
});
