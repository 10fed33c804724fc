import { describe, expect, it } from "vitest";
import { HookDedupe, hookFingerprint, stableJson } from "./hook-dedupe";

const body = { app: "rtp", hook_index: 11, local_port: 30000, mediaServerId: "z", stream_id: "s1", vhost: "__defaultVhost__" };

describe("hookFingerprint", () => {
  it("ignores hook_index and key order, so a retry has the same fingerprint", () => {
    const retry = { vhost: "__defaultVhost__", stream_id: "s1", mediaServerId: "z", local_port: 30000, hook_index: 12, app: "rtp" };
    expect(hookFingerprint("n", retry)).toBe(hookFingerprint("n", body));
  });
  it("differs by node and by any other field", () => {
    const f = hookFingerprint("n", body);
    expect(hookFingerprint("m", body)).not.toBe(f);
    expect(hookFingerprint("n", { ...body, local_port: 30002 })).not.toBe(f);
  });
  it("stableJson sorts nested keys", () => {
    expect(stableJson({ b: 1, a: { d: [1, { f: 1, e: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"e":2,"f":1}]},"b":1}');
    expect(stableJson({ a: { x: 1, y: [{ q: 1, p: 2 }] }, b: "s" })).toBe('{"a":{"x":1,"y":[{"p":2,"q":1}]},"b":"s"}');
    expect(stableJson("x")).toBe('"x"');
    expect(stableJson(undefined)).toBe("null");
  });
});

describe("HookDedupe", () => {
  it("treats a repeat of a stored but unacknowledged hook as a duplicate (ZLM retry)", () => {
    const d = new HookDedupe(30_000);
    d.remember("fp", 1, 1000);
    expect(d.isDuplicate("fp", 4000)).toBe(true);
    expect(d.duplicateCount).toBe(1);
  });
  it("treats a repeat of an acknowledged hook as a new event (ghost receivers repeat identical bodies)", () => {
    const d = new HookDedupe(30_000);
    d.remember("fp", 1, 1000);
    d.markAcked("fp");
    expect(d.isDuplicate("fp", 4000)).toBe(false);
  });
  it("forgets deliveries older than the window", () => {
    const d = new HookDedupe(30_000);
    d.remember("fp", 1, 1000);
    expect(d.isDuplicate("fp", 31_001)).toBe(false);
  });
  it("after a restart, preloaded recent hooks count as unacknowledged", () => {
    const d = new HookDedupe(30_000);
    d.preload([{ fingerprint: "fp", eventId: 9, at: 1000 }]);
    expect(d.isDuplicate("fp", 2000)).toBe(true);
  });
  it("stays bounded in a flood: past the cap the oldest deliveries go, the newest are still recognised", () => {
    const d = new HookDedupe(30_000, 1000);
    for (let i = 0; i < 1500; i++) d.remember(`fp${i}`, i, 1000 + i);
    expect(d.size).toBe(1000);
    expect(d.isDuplicate("fp1499", 3000)).toBe(true);
    expect(d.isDuplicate("fp0", 3000)).toBe(false);
  });
  it("sweeps what left the window once past 50,000 entries, and keeps what is inside it", () => {
    const d = new HookDedupe(30_000, 200_000);
    for (let i = 0; i < 50_000; i++) d.remember(`old${i}`, i, 1000);
    d.remember("recent", 1, 20_000);
    expect(d.size).toBe(50_001);
    d.remember("now", 2, 40_000); // old* are 39 s old: out of the 30 s window
    expect(d.size).toBe(2);
    expect(d.isDuplicate("recent", 40_001)).toBe(true);
  });
});
