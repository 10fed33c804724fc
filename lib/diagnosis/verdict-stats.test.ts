import { describe, expect, it } from "vitest";
import type { PortscopeEvent } from "../events/types";
import { verdictStats } from "./verdict-stats";
import { diagnosisWindow } from "./diagnosis-read";

let nextId = 1;
const failed = (at: number, nodeId: string, cause: string | null, extra: Partial<PortscopeEvent> = {}): PortscopeEvent => ({
  id: nextId++,
  at,
  nodeId,
  kind: "rtp.open_failed",
  key: "__defaultVhost__/rtp/cam",
  port: null,
  source: "tap",
  payload: cause === null ? { code: -100, msg: "Please login first" } : { code: -300, verdict: { cause, title: `cause ${cause}`, fix: `fix ${cause}`, evidence: { holderPort: 30000 } } },
  ...extra,
});

describe("verdictStats", () => {
  it("counts failed opens per cause, node and bucket, with dense empty buckets", () => {
    const events = [failed(1_000, "n1", "a"), failed(59_999, "n1", "a"), failed(60_000, "n1", "c"), failed(61_000, "n2", "b"), failed(130_000, "n1", null)];
    const s = verdictStats(events, { from: 0, to: 180_000, bucketMs: 60_000 });
    expect(s.buckets.map((b) => `${b.t}/${b.nodeId}`)).toEqual(["0/n1", "0/n2", "60000/n1", "60000/n2", "120000/n1", "120000/n2"]);
    expect(s.buckets[0]).toEqual({ t: 0, nodeId: "n1", a: 2, b: 0, c: 0, d: 0, e: 0, f: 0, unknown: 0, other: 0 });
    expect(s.buckets[2]).toMatchObject({ c: 1, a: 0 });
    expect(s.buckets[3]).toMatchObject({ b: 1 });
    expect(s.buckets[4]).toMatchObject({ other: 1 });
    expect(s.totals).toEqual({ a: 2, b: 1, c: 1, d: 0, e: 0, f: 0, unknown: 0, other: 1, all: 5 });
  });

  it("keeps only failed opens inside [from, to) and counts an unrecognised cause as unknown", () => {
    const events = [failed(999, "n", "a"), failed(1_000, "n", "weird"), failed(2_000, "n", "d"), { ...failed(1_500, "n", "a"), kind: "rtp.opened" as const }];
    const s = verdictStats(events, { from: 1_000, to: 2_000, bucketMs: 1_000 });
    expect(s.totals).toMatchObject({ a: 0, d: 0, unknown: 1, all: 1 });
  });

  it("lists the latest verdicts first with their evidence, at most recentLimit", () => {
    const events = Array.from({ length: 30 }, (_, i) => failed(i * 100, "n", i % 2 ? "a" : "e"));
    events.push(failed(50, "n", null));
    const s = verdictStats(events, { from: 0, to: 10_000, bucketMs: 10_000 });
    expect(s.recent).toHaveLength(20);
    expect(s.recent[0]).toEqual({ eventId: events[29].id, nodeId: "n", key: "__defaultVhost__/rtp/cam", at: 2_900, cause: "a", title: "cause a", fix: "fix a", evidence: { holderPort: 30000 }, source: "tap" });
    expect(s.recent.map((r) => r.at)).toEqual([...s.recent.map((r) => r.at)].sort((x, y) => y - x));
    expect(verdictStats(events, { from: 0, to: 10_000, bucketMs: 10_000, recentLimit: 3 }).recent).toHaveLength(3);
  });

  it("gives a named node its empty buckets", () => {
    const s = verdictStats([], { from: 0, to: 3_000, bucketMs: 1_000, nodeIds: ["quiet"] });
    expect(s.buckets.map((b) => b.t)).toEqual([0, 1_000, 2_000]);
    expect(s.totals.all).toBe(0);
    expect(s.recent).toEqual([]);
  });
});

describe("diagnosis query", () => {
  const parse = (q: Record<string, string>) => diagnosisWindow(10_000_000).safeParse(q);
  it("defaults to the last hour in one-minute buckets", () => {
    expect(parse({}).data).toEqual({ node: undefined, from: 6_400_000, to: 10_000_000, bucketMs: 60_000 });
    expect(parse({ node: "z", from: "2026-12-01T00:00:00Z", to: "2026-12-01T01:00:00.000Z", bucketMs: "300000" }).data).toEqual({ node: "z", from: Date.parse("2026-12-01T00:00:00Z"), to: Date.parse("2026-12-01T01:00:00Z"), bucketMs: 300_000 });
  });
  it("refuses a reversed window, too many buckets, a tiny bucket and unknown parameters", () => {
    expect(parse({ from: "5000", to: "4000" }).error?.issues[0]).toMatchObject({ path: ["from"], message: "must be before to" });
    expect(parse({ from: "0", to: "10000000", bucketMs: "1000" }).error?.issues[0].path).toEqual(["bucketMs"]);
    expect(parse({ bucketMs: "10" }).success).toBe(false);
    expect(parse({ bucket: "60000" }).success).toBe(false);
    expect(parse({ from: "yesterday" }).success).toBe(false);
  });
});
