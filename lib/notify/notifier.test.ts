import { afterEach, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createNotifier } from "./notifier.server";
import type { NewEvent } from "../events/types";
import type { Notification } from "./types";

const n: Notification = { status: "firing", alertId: "r|x", ruleId: "r", ruleName: null, severity: "warning", nodeId: "zlm-1", key: null, port: null, kind: "port_pool_high", detail: "d", value: null, incidentId: "x", startsAt: 1, endsAt: null, sample: false, dashboardUrl: null };
const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(() => r(null)));
});

/** A receiver on 127.0.0.1 answering `status` (or never, for null) and counting requests. */
async function receiver(status: number | null, body = "{}"): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const s = http.createServer((req, res) => {
    hits++;
    req.resume();
    if (status === null) return; // hangs
    res.writeHead(status, { "content-type": "application/json" });
    res.end(body);
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/`, hits: () => hits };
}

function rig(attempts: number, extra: { maxQueued?: number; timeoutMs?: number } = {}) {
  const events: NewEvent[] = [];
  let settle: () => void = () => undefined;
  const notifier = createNotifier({
    attempts,
    baseDelayMs: 20,
    maxDelayMs: 80,
    timeoutMs: extra.timeoutMs ?? 2000,
    maxQueued: extra.maxQueued ?? 100,
    record: async (evs) => {
      events.push(...evs);
      settle();
    },
  });
  const done = (count: number) =>
    new Promise<void>((resolve) => {
      settle = () => events.filter((e) => e.kind !== "notify.failed").length >= count && resolve();
      settle();
    });
  return { notifier, events, done };
}

describe("the delivery queue", () => {
  it("sends once to a receiver that takes it, recorded as notify.sent", async () => {
    const r = await receiver(200);
    const { notifier, events, done } = rig(3);
    notifier.enqueue(n, [{ id: "hook", format: "webhook", url: r.url }]);
    await done(1);
    expect(events.map((e) => [e.kind, e.payload.attempt, e.payload.httpStatus])).toEqual([["notify.sent", 1, 200]]);
    expect(r.hits()).toBe(1);
    expect(notifier.pending()).toBe(0);
  });

  it("retries a 500 receiver with growing delays, then gives up; each attempt is an event", async () => {
    const r = await receiver(500);
    const { notifier, events, done } = rig(4);
    notifier.enqueue(n, [{ id: "down", format: "webhook", url: r.url }]);
    await done(1);
    expect(events.map((e) => e.kind)).toEqual(["notify.failed", "notify.failed", "notify.failed", "notify.gave_up"]);
    expect(events.map((e) => e.payload.attempt)).toEqual([1, 2, 3, 4]);
    const delays = events.slice(0, 3).map((e) => e.payload.retryInMs as number);
    expect(delays[0]).toBeGreaterThanOrEqual(10);
    expect(delays[0]).toBeLessThanOrEqual(20);
    expect(delays[1]).toBeGreaterThanOrEqual(20);
    expect(delays[2]).toBeGreaterThanOrEqual(40);
    expect(events[3].payload).toMatchObject({ attempts: 4, httpStatus: 500, error: "HTTP 500" });
    expect(r.hits()).toBe(4);
  });

  it("treats a robot's 200 with an error code as a failure", async () => {
    const r = await receiver(200, '{"errcode":93000,"errmsg":"invalid webhook url"}');
    const { notifier, events, done } = rig(1);
    notifier.enqueue(n, [{ id: "wc", format: "wecom", url: r.url }]);
    await done(1);
    expect(events.map((e) => [e.kind, e.payload.error])).toEqual([["notify.gave_up", "refused: code 93000 invalid webhook url"]]);
  });

  it("enqueues without waiting for a receiver that never answers, and times the attempt out", async () => {
    const r = await receiver(null);
    const { notifier, events, done } = rig(1, { timeoutMs: 200 });
    const ids = notifier.enqueue(n, [{ id: "hang", format: "webhook", url: r.url }]);
    expect(ids).toHaveLength(1);
    expect(events).toEqual([]); // nothing has happened yet: enqueue returned at once
    await done(1);
    expect(events[0].kind).toBe("notify.gave_up");
    expect(events[0].payload.error).toBe("DeliveryError: no answer within 200 ms");
  });

  it("gives up at once, recorded, past maxQueued deliveries waiting", async () => {
    const r = await receiver(null);
    const { notifier, events } = rig(1, { maxQueued: 2, timeoutMs: 200 });
    notifier.enqueue(n, [1, 2, 3].map((i) => ({ id: `c${i}`, format: "webhook" as const, url: r.url })));
    await new Promise((res) => setImmediate(res));
    expect(events.map((e) => [e.kind, e.payload.channel, e.payload.error])).toEqual([["notify.gave_up", "c3", "queue full (2 deliveries waiting)"]]);
    notifier.stop();
  });
});
