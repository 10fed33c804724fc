import { afterEach, beforeEach, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { EventBus } from "../live/bus";
import { openSqliteStore, type SqliteEventStore } from "../events/sqlite-store";
import { createEventStream, encodeSseEvent } from "./sse";
import type { NewEvent, PortscopeEvent } from "../events/types";
import type { PortSession } from "../lifecycle/types";

let dir: string;
let store: SqliteEventStore;
let bus: EventBus;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-sse-"));
  store = openSqliteStore(path.join(dir, "e.db"));
  bus = new EventBus();
});
afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ev = (i: number): NewEvent => ({ at: i, nodeId: "n", kind: "stream.flow_report", key: "__defaultVhost__/rtp/s", port: null, source: "hook", payload: { i } });
async function commit(n: number, from = 0, sessions: PortSession[] = []): Promise<PortscopeEvent[]> {
  const stored = await store.append(Array.from({ length: n }, (_, i) => ev(from + i)));
  bus.publish({ events: stored, changes: { sessions, nodes: [], anomalies: false } });
  return stored;
}

const row = (id: string, lastEventId: number, nodeId = "n"): PortSession => ({ id, nodeId, key: "__defaultVhost__/rtp/s", port: 30000, tcpMode: 0, ssrc: 0, state: "receiving", openedBy: "hook", openedAt: 1, firstMediaAt: 2, mediaStoppedAt: null, timedOutAt: null, closedAt: null, closedBy: null, releasedAt: null, releaseConfirmedBy: null, endCause: null, failure: null, timeouts: 0, lastEventId, lastEventAt: lastEventId });

/** Reads the stream until `pred` holds on the parsed frames; returns frames and raw chunk count. */
async function read(stream: ReadableStream<Uint8Array>, pred: (frames: { id?: string; event?: string; data?: string }[], raw: string) => boolean, timeoutMs = 3000) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let raw = "";
  let chunks = 0;
  const deadline = Date.now() + timeoutMs;
  const all = () =>
    raw
      .split("\n\n")
      .filter((b) => b.includes("data:"))
      .map((b) => Object.fromEntries(b.split("\n").filter((l) => !l.startsWith(":")).map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 2)])) as { id?: string; event?: string; data?: string });
  const parse = () => all().filter((f) => f.event !== "state");
  while (!pred(parse(), raw)) {
    if (Date.now() > deadline) throw new Error(`timed out; got ${raw.slice(0, 300)}`);
    const r = await Promise.race([reader.read(), new Promise<null>((res) => setTimeout(() => res(null), 100))]);
    if (r && !r.done) {
      raw += decoder.decode(r.value);
      chunks++;
    }
  }
  await reader.cancel();
  return { frames: parse(), states: all().filter((f) => f.event === "state"), raw, chunks };
}

describe("SSE event stream", () => {
  it("encodes an event once as id/event/data", async () => {
    const [e] = await store.append([ev(1)]);
    const text = encodeSseEvent(e);
    expect(text).toBe(`id: ${e.id}\nevent: stream.flow_report\ndata: ${JSON.stringify(e)}\n\n`);
    expect(encodeSseEvent(e)).toBe(text);
  });

  it("replays exactly what came after Last-Event-ID, then continues live, with no gap and no repeat even when events land mid-replay", async () => {
    await commit(2500);
    const stream = createEventStream({ store, bus, lastEventId: 1000, flushMs: 5 });
    // Published while the replay pages through the log: must appear once, after it.
    const during = commit(50, 2500);
    await during;
    const after = await read(stream, (f) => f.length >= 1550);
    const ids = after.frames.map((f) => Number(f.id));
    expect(ids).toEqual(Array.from({ length: 1550 }, (_, i) => 1001 + i));
  });

  it("a client without Last-Event-ID starts from now", async () => {
    await commit(10);
    const stream = createEventStream({ store, bus, lastEventId: null, flushMs: 5 });
    setTimeout(() => void commit(3, 10), 50);
    const { frames } = await read(stream, (f) => f.length >= 3);
    expect(frames.map((f) => Number(f.id))).toEqual([11, 12, 13]);
  });

  it("sends a reset when the requested id has been pruned, then what is left", async () => {
    await store.append(Array.from({ length: 5 }, (_, i) => ({ ...ev(i), at: i })));
    await store.prune(3);
    const stream = createEventStream({ store, bus, lastEventId: 1, flushMs: 5 });
    const { frames } = await read(stream, (f) => f.length >= 3);
    expect(frames[0]).toMatchObject({ event: "reset" });
    expect(JSON.parse(frames[0].data!)).toMatchObject({ reason: "pruned", firstId: 4 });
    expect(frames.slice(1).map((f) => Number(f.id))).toEqual([4, 5]);
  });

  it("coalesces a burst into few writes and sends heartbeats", async () => {
    const stream = createEventStream({ store, bus, lastEventId: null, flushMs: 20, heartbeatMs: 50 });
    await new Promise((r) => setTimeout(r, 30));
    for (let i = 0; i < 10; i++) await commit(50, i * 50);
    const { chunks, frames, raw } = await read(stream, (f, r) => f.length >= 500 && r.includes(": hb"));
    expect(frames).toHaveLength(500);
    expect(chunks).toBeLessThan(20);
    expect(raw).toContain(": hb\n\n");
  });

  it("applies a filter but keeps the cursor moving", async () => {
    const stream = createEventStream({ store, bus, lastEventId: 0, flushMs: 5, filter: (e) => (e.payload.i as number) % 2 === 0 });
    await commit(6);
    const { frames } = await read(stream, (f) => f.length >= 3);
    expect(frames.map((f) => Number(f.id))).toEqual([1, 3, 5]);
  });

  it("drops a client that falls too far behind with a slow_client reset", async () => {
    const stream = createEventStream({ store, bus, lastEventId: null, flushMs: 1000, maxQueuedEvents: 100 });
    await new Promise((r) => setTimeout(r, 20));
    await commit(150);
    const { frames } = await read(stream, (f) => f.some((x) => x.event === "reset"));
    expect(JSON.parse(frames.find((f) => f.event === "reset")!.data!)).toMatchObject({ reason: "slow_client" });
    expect(bus.size).toBe(0);
  });

  it("follows each batch with a state frame of the rows it changed, tagged with the batch's last id", async () => {
    const stream = createEventStream({ store, bus, lastEventId: null, flushMs: 5 });
    await new Promise((r) => setTimeout(r, 20));
    await commit(3, 0, [row("n|k|1", 3)]);
    const { frames, states } = await read(stream, (f) => f.length >= 3);
    expect(frames.map((f) => Number(f.id))).toEqual([1, 2, 3]);
    expect(states).toHaveLength(1);
    expect(states[0].id).toBe("3");
    expect(JSON.parse(states[0].data!)).toEqual({ sessions: [row("n|k|1", 3)], nodes: [], anomalies: false });
  });

  it("ends a replay with one state frame of every row changed after Last-Event-ID, and sends no older rows of batches that landed meanwhile", async () => {
    await commit(5);
    const model = { sessionsChangedAfter: (id: number) => [row("n|k|1", 5), row("n|k|2", 2)].filter((s) => s.lastEventId > id) };
    // An older copy of the row, published while the replay reads the log.
    let during: Promise<unknown> | null = null;
    const slowStore = { firstId: () => store.firstId(), lastId: () => store.lastId(), query: async (q: Parameters<typeof store.query>[0]) => {
      during ??= commit(1, 5, [row("n|k|1", 4)]);
      await during;
      return store.query(q);
    } };
    const stream = createEventStream({ store: slowStore, bus, model, lastEventId: 3, flushMs: 5 });
    const { frames, states } = await read(stream, (f) => f.length >= 3);
    expect(frames.map((f) => Number(f.id))).toEqual([4, 5, 6]);
    expect(states.map((f) => JSON.parse(f.data!).sessions.map((s: PortSession) => s.id))).toEqual([["n|k|1"]]);
    expect(JSON.parse(states[0].data!).sessions[0].lastEventId).toBe(5);
  });

  it("a filtered stream carries only the rows its filter takes", async () => {
    const stream = createEventStream({ store, bus, lastEventId: null, flushMs: 5, filter: (e) => e.nodeId === "n", sessionFilter: (s) => s.nodeId === "n" });
    await new Promise((r) => setTimeout(r, 20));
    await commit(1, 0, [row("n|k|1", 1), row("m|k|1", 1, "m")]);
    const { states } = await read(stream, (f) => f.length >= 1);
    expect(JSON.parse(states[0].data!).sessions.map((s: PortSession) => s.id)).toEqual(["n|k|1"]);
  });
});
