import { afterEach, beforeEach, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { EventBus } from "./bus";
import { openSqliteStore, type SqliteEventStore } from "./sqlite-store";
import { createEventStream, encodeSseEvent } from "./sse";
import type { NewEvent, PortscopeEvent } from "./types";

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
async function commit(n: number, from = 0): Promise<PortscopeEvent[]> {
  const stored = await store.append(Array.from({ length: n }, (_, i) => ev(from + i)));
  bus.publish(stored);
  return stored;
}

/** Reads the stream until `pred` holds on the parsed frames; returns frames and raw chunk count. */
async function read(stream: ReadableStream<Uint8Array>, pred: (frames: { id?: string; event?: string; data?: string }[], raw: string) => boolean, timeoutMs = 3000) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let raw = "";
  let chunks = 0;
  const deadline = Date.now() + timeoutMs;
  const parse = () =>
    raw
      .split("\n\n")
      .filter((b) => b.includes("data:"))
      .map((b) => Object.fromEntries(b.split("\n").filter((l) => !l.startsWith(":")).map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 2)])) as { id?: string; event?: string; data?: string });
  while (!pred(parse(), raw)) {
    if (Date.now() > deadline) throw new Error(`timed out; got ${raw.slice(0, 300)}`);
    const r = await Promise.race([reader.read(), new Promise<null>((res) => setTimeout(() => res(null), 100))]);
    if (r && !r.done) {
      raw += decoder.decode(r.value);
      chunks++;
    }
  }
  await reader.cancel();
  return { frames: parse(), raw, chunks };
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
});
