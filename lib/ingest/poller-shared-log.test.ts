import { describe, expect, it } from "vitest";
import { NodePoller } from "./poller.server";
import type { ZlmClient } from "../zlm/client";
import type { EventPipeline } from "../events/event-pipeline";
import type { PortscopeEvent } from "../events/types";

/** A poller that does not poll (another instance leads its node) follows the poll results in the log. */
const client = { nodeId: "zlm-1", url: "http://127.0.0.1:1" } as unknown as ZlmClient;
const pipeline = {} as EventPipeline;
let id = 0;
const ev = (kind: PortscopeEvent["kind"], payload: Record<string, unknown> = {}, source: PortscopeEvent["source"] = "poll", nodeId = "zlm-1"): PortscopeEvent => ({ id: ++id, at: 1000 + id, nodeId, kind, key: null, port: null, source, payload });

describe("NodePoller.observe", () => {
  it("takes the polling instance's online, offline and config events for its node", () => {
    const p = new NodePoller(client, pipeline);
    p.observe(ev("node.online", { version: { branchName: "master" } }));
    expect(p.state).toMatchObject({ online: true, consecutiveFailures: 0, lastError: null, version: { branchName: "master" } });
    p.observe(ev("node.config", { timeoutSec: 15, portRange: [30000, 35000] }));
    expect(p.state.config).toEqual({ timeoutSec: 15, portRange: [30000, 35000] });
    p.observe(ev("node.offline", { error: { kind: "transient", message: "ECONNREFUSED" } }));
    expect(p.state).toMatchObject({ online: false, lastError: { kind: "transient", message: "ECONNREFUSED" } });
  });

  it("takes an observed config as its own, whatever its key order (jsonb reorders keys)", async () => {
    const appended: unknown[] = [];
    const p = new NodePoller(client, { append: async (e: unknown[]) => (appended.push(...e), []) } as unknown as EventPipeline);
    p.observe(ev("node.config", { timeoutSec: 15, mediaServerId: "m1", portRange: [30000, 35000] }));
    const noteConfig = (p as unknown as { noteConfig(c: unknown): Promise<unknown> | null }).noteConfig.bind(p);
    expect(noteConfig({ mediaServerId: "m1", portRange: [30000, 35000], timeoutSec: 15 })).toBeNull();
    await noteConfig({ mediaServerId: "m1", portRange: [30000, 35000], timeoutSec: 20 });
    expect(appended).toHaveLength(1);
  });

  it("ignores other nodes, hook events, and everything while it polls itself", () => {
    const p = new NodePoller(client, pipeline);
    p.observe(ev("node.online", {}, "poll", "zlm-2"));
    p.observe(ev("node.online", {}, "hook"));
    expect(p.state.online).toBeNull();
    const polling = new NodePoller(client, pipeline);
    (polling as unknown as { polling: boolean }).polling = true;
    polling.observe(ev("node.online"));
    expect(polling.state.online).toBeNull();
  });
});

describe("NodePoller start/stop/start", () => {
  it("keeps one polling loop when stopped and started again while a poll is in flight", async () => {
    let calls = 0;
    const waiting: (() => void)[] = [];
    const release = () => waiting.splice(0).forEach((r) => r());
    const slow = {
      nodeId: "zlm-1",
      url: "http://127.0.0.1:1",
      listRtpServer: () => (calls++, new Promise((r) => waiting.push(() => r([])))),
      getMediaList: async () => [],
      version: async () => ({}),
      getServerConfig: async () => [{}],
      getStatistic: async () => ({}),
    } as unknown as ZlmClient;
    const pipe = { append: async () => [], appendFrom: async () => [], lifecycle: { liveSessions: () => [], node: () => undefined, nodeLive: () => new Map() } } as unknown as EventPipeline;
    const p = new NodePoller(slow, pipe, { intervalMs: 20, fastIntervalMs: 20, maxBackoffMs: 20, jitter: 0 });
    p.start();
    while (calls === 0) await new Promise((r) => setTimeout(r, 5));
    p.stop();
    p.start(); // leadership regained while the first poll still waits for ZLM
    while (calls < 2) await new Promise((r) => setTimeout(r, 5));
    release();
    await new Promise((r) => setTimeout(r, 10));
    // Both in-flight polls answered; from here one loop: one poll at a time, each waiting for ZLM.
    const before = calls;
    for (let i = 0; i < 5; i++) {
      release();
      await new Promise((r) => setTimeout(r, 40));
    }
    p.stop();
    release();
    expect(calls - before).toBeLessThanOrEqual(5);
  });
});

describe("NodePoller.mediaNow", () => {
  const row = (stream: string, bytesSpeed: number) => ({ vhost: "__defaultVhost__", app: "rtp", stream, schema: "rtsp", bytesSpeed, totalBytes: 1000 });
  const counting = (rows: () => unknown[]) => {
    const c = { calls: 0, client: { nodeId: "zlm-1", url: "http://127.0.0.1:1", getMediaList: async () => (c.calls++, rows()) } as unknown as ZlmClient };
    return c;
  };

  it("on an instance that does not poll the node, reads the rates from ZLM: once per interval for everyone asking meanwhile", async () => {
    let clock = 0;
    const zlm = counting(() => [row("s1", 25_000)]);
    const p = new NodePoller(zlm.client, pipeline, { intervalMs: 2000, maxBackoffMs: 2000, jitter: 0 }, () => clock);
    const [a, b] = await Promise.all([p.mediaNow(), p.mediaNow()]);
    expect(a).toEqual(b);
    expect(a?.rates).toMatchObject([{ key: "__defaultVhost__/rtp/s1", bytesSpeed: 25_000 }]);
    expect(zlm.calls).toBe(1);
    clock = 1999;
    await p.mediaNow();
    expect(zlm.calls).toBe(1);
    clock = 2000;
    await p.mediaNow();
    expect(zlm.calls).toBe(2);
  });

  it("says no media when ZLM lists none, or cannot be read; the polling instance answers from its own cycle without a call", async () => {
    const empty = counting(() => []);
    expect((await new NodePoller(empty.client, pipeline).mediaNow())?.rates).toEqual([]);
    const failing = { nodeId: "zlm-1", url: "http://127.0.0.1:1", getMediaList: async () => Promise.reject(new Error("ECONNREFUSED")) } as unknown as ZlmClient;
    expect(await new NodePoller(failing, pipeline).mediaNow()).toBeNull();
    const leader = counting(() => [row("s1", 1)]);
    const polling = new NodePoller(leader.client, pipeline);
    (polling as unknown as { polling: boolean }).polling = true;
    polling.media = { polledAt: 5, rates: [] };
    expect(await polling.mediaNow()).toEqual({ polledAt: 5, rates: [] });
    expect(leader.calls).toBe(0);
  });
});
