import { describe, expect, it } from "vitest";
import { clampWindow, LIVE_PARAMS, MAX_SPAN, MIN_SPAN, panBy, parseTime, presetParams, queryFrom, resolveWindow, tickStep, tickTimes, wheelFactor, windowParams, zoomAt } from "./time-window";

const H = 3600e3;
const NOW = 1_800_000_000_000;
const url = (p: Partial<Record<"range" | "from" | "to" | "follow", string>>) => ({ range: null, from: null, to: null, follow: null, ...p });

describe("zoom and pan", () => {
  const w = { from: NOW - H, to: NOW };
  it("zooms around the pointer: the time under it stays put", () => {
    const anchor = NOW - 0.25 * H;
    const z = zoomAt(w, anchor, 0.5, NOW);
    expect(z.to - z.from).toBe(H / 2);
    expect((anchor - z.from) / (z.to - z.from)).toBeCloseTo(0.75, 6);
    const out = zoomAt(w, anchor, 2, NOW + 10 * H);
    expect(out.to - out.from).toBe(2 * H);
    expect((anchor - out.from) / (out.to - out.from)).toBeCloseTo(0.75, 6);
  });
  it("clamps the span to [5 min, 7 days]", () => {
    expect(zoomAt(w, NOW, 0.001, NOW)).toMatchObject({ to: NOW });
    const tiny = zoomAt(w, NOW - H / 2, 0.001, NOW);
    expect(tiny.to - tiny.from).toBe(MIN_SPAN);
    let big = w;
    for (let i = 0; i < 20; i++) big = zoomAt(big, NOW - H / 2, 2, NOW);
    expect(big.to - big.from).toBe(MAX_SPAN);
    expect(clampWindow({ from: 0, to: 1000 }, NOW).to - clampWindow({ from: 0, to: 1000 }, NOW).from).toBe(MIN_SPAN);
  });
  it("pans by a time delta, but not more than half a span into the future", () => {
    expect(panBy(w, -H, NOW)).toEqual({ from: NOW - 2 * H, to: NOW - H });
    expect(panBy(w, 5 * H, NOW)).toEqual({ from: NOW - H / 2, to: NOW + H / 2 });
  });
  it("turns wheel steps into bounded zoom factors (down zooms out)", () => {
    expect(wheelFactor(100)).toBeGreaterThan(1);
    expect(wheelFactor(-100)).toBeLessThan(1);
    expect(wheelFactor(3, 1)).toBeCloseTo(wheelFactor(48), 10);
    expect(wheelFactor(1e6)).toBe(2);
    expect(wheelFactor(-1e6)).toBe(0.5);
  });
});

describe("the window in the URL", () => {
  it("follows live by default, with the preset's span", () => {
    expect(resolveWindow(url({ range: "1h" }), NOW)).toEqual({ from: NOW - H, to: NOW, span: H, range: "1h", follow: true });
    expect(resolveWindow(url({ range: "nonsense" }), NOW)).toMatchObject({ span: 15 * 60e3, follow: true });
  });
  it("a fixed from/to stops following, is clamped, and accepts pasted ISO dates", () => {
    expect(resolveWindow(url({ from: String(NOW - 2 * H), to: String(NOW - H), follow: "0" }), NOW)).toMatchObject({ from: NOW - 2 * H, to: NOW - H, span: H, follow: false });
    const iso = resolveWindow(url({ from: new Date(NOW - H).toISOString(), to: new Date(NOW).toISOString() }), NOW);
    expect(iso).toMatchObject({ from: NOW - H, to: NOW, follow: false });
    expect(resolveWindow(url({ from: String(NOW - 60e3), to: String(NOW), follow: "0" }), NOW).span).toBe(MIN_SPAN);
  });
  it("keeps the old follow=0&to= links working, and ignores a backwards window", () => {
    expect(resolveWindow(url({ range: "5m", follow: "0", to: String(NOW - H) }), NOW)).toMatchObject({ from: NOW - H - 5 * 60e3, to: NOW - H, follow: false });
    expect(resolveWindow(url({ from: String(NOW), to: String(NOW - H) }), NOW).follow).toBe(true);
    expect(parseTime("yesterday")).toBeNull();
  });
  it("writes a fixed window, a preset and the way back to live", () => {
    expect(windowParams({ from: 1.4, to: 2.6 })).toEqual({ from: "1", to: "3", follow: "0" });
    expect(presetParams("1h", resolveWindow(url({}), NOW))).toEqual({ range: "1h", ...LIVE_PARAMS });
    expect(presetParams("1h", resolveWindow(url({ from: String(NOW - 3 * H), to: String(NOW - 2 * H) }), NOW))).toEqual({ range: "1h", from: String(NOW - 3 * H), to: String(NOW - 2 * H), follow: "0" });
  });
  it("starts the sessions query on a coarse grid, so a sliding window keeps one query key", () => {
    const a = queryFrom(NOW - H + 1000, H);
    expect(queryFrom(NOW - H + 2000, H)).toBe(a);
    expect(a).toBeLessThanOrEqual(NOW - H);
  });
});

describe("axis ticks", () => {
  it("picks a round step for the span", () => {
    expect(tickStep(5 * 60e3)).toBe(60e3);
    expect(tickStep(H)).toBe(900e3);
    expect(tickStep(7 * 86400e3)).toBe(86400e3);
  });
  it("puts ticks on round local times", () => {
    expect(tickTimes(1000, 7200e3, 3600e3)).toEqual([3600e3, 7200e3]);
    // A zone 30 min east of UTC: local whole hours fall on UTC half hours.
    expect(tickTimes(0, 7200e3, 3600e3, 1800e3)).toEqual([1800e3, 5400e3]);
  });
});
