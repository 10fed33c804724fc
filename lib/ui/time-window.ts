/**
 * The timeline's time window: zoom around the pointer, pan, clamp, and its
 * place in the URL (`?range=15m` follows live; `?from=<ms>&to=<ms>&follow=0`
 * is a fixed window a support engineer can paste). Pure, tested.
 */
import { parseRange, RANGES, type RangeKey } from "./time-range";

export const MIN_SPAN = RANGES["5m"];
export const MAX_SPAN = RANGES["7d"];

export interface TimeWindow {
  from: number;
  to: number;
}

export interface ResolvedWindow extends TimeWindow {
  span: number;
  range: RangeKey;
  /** The window slides with the clock (no fixed from/to, no follow=0). */
  follow: boolean;
}

export const clampSpan = (span: number) => Math.min(MAX_SPAN, Math.max(MIN_SPAN, span));

/** Span within [5 min, 7 days] (kept around the window's centre), and never more than half a span past now. */
export function clampWindow(w: TimeWindow, now: number): TimeWindow {
  const span = clampSpan(w.to - w.from);
  let to = (w.from + w.to) / 2 + span / 2;
  to = Math.min(to, now + span / 2);
  return { from: Math.round(to - span), to: Math.round(to) };
}

/** Zooms by `factor` (< 1 zooms in) keeping the time under the pointer where it is. */
export function zoomAt(w: TimeWindow, anchor: number, factor: number, now: number): TimeWindow {
  const span = w.to - w.from;
  const next = clampSpan(span * factor);
  const k = next / span;
  const a = Math.min(w.to, Math.max(w.from, anchor));
  const from = a - (a - w.from) * k;
  // Only the future clamp can move it; the span is already in range.
  const to = Math.min(from + next, now + next / 2);
  return { from: Math.round(to - next), to: Math.round(to) };
}

export function panBy(w: TimeWindow, deltaMs: number, now: number): TimeWindow {
  return clampWindow({ from: w.from + deltaMs, to: w.to + deltaMs }, now);
}

/** A wheel step as a zoom factor: down zooms out, up zooms in; lines and pages count as pixels. */
export function wheelFactor(deltaY: number, deltaMode = 0): number {
  const px = deltaY * (deltaMode === 1 ? 16 : deltaMode === 2 ? 400 : 1);
  return Math.min(2, Math.max(0.5, Math.exp(px * 0.002)));
}

/** Epoch ms, or an ISO date pasted into the URL. */
export function parseTime(v: string | null): number | null {
  if (!v) return null;
  const t = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  return Number.isFinite(t) ? t : null;
}

/** The window the URL asks for at `now`. */
export function resolveWindow(params: { range: string | null; from: string | null; to: string | null; follow: string | null }, now: number): ResolvedWindow {
  const range = parseRange(params.range);
  const from = parseTime(params.from);
  const to = parseTime(params.to);
  if (from !== null && to !== null && to > from) return { ...clampWindow({ from, to }, now), span: clampSpan(to - from), range, follow: false };
  if (params.follow === "0") {
    const end = to ?? now;
    return { from: end - RANGES[range], to: end, span: RANGES[range], range, follow: false };
  }
  return { from: now - RANGES[range], to: now, span: RANGES[range], range, follow: true };
}

/** URL parameters of a fixed window (stops following live). */
export function windowParams(w: TimeWindow): Record<string, string | null> {
  return { from: String(Math.round(w.from)), to: String(Math.round(w.to)), follow: "0" };
}

/** URL parameters that return to the live range. */
export const LIVE_PARAMS: Record<string, string | null> = { from: null, to: null, follow: null };

/** URL parameters for a preset range: live when following, else the same end with the preset's span. */
export function presetParams(range: RangeKey, current: ResolvedWindow): Record<string, string | null> {
  if (current.follow) return { range, ...LIVE_PARAMS };
  return { range, ...windowParams({ from: current.to - RANGES[range], to: current.to }) };
}

/** Where the sessions query starts: the window's start on a coarse grid, so a sliding window does not refetch every second. */
export function queryFrom(from: number, span: number): number {
  const grid = Math.max(60_000, Math.round(span / 10 / 60_000) * 60_000);
  return Math.floor(from / grid) * grid;
}

const STEPS = [1e3, 5e3, 15e3, 30e3, 60e3, 300e3, 900e3, 1800e3, 3600e3, 3 * 3600e3, 6 * 3600e3, 12 * 3600e3, 86400e3];

/** A round tick step giving at most `maxTicks` ticks over the span. */
export function tickStep(span: number, maxTicks = 8): number {
  return STEPS.find((s) => span / s <= maxTicks) ?? 86400e3;
}

/** Tick times in [from, to], on round local times (`offsetMs` = the zone's offset from UTC, east positive). */
export function tickTimes(from: number, to: number, step: number, offsetMs = 0): number[] {
  const out: number[] = [];
  for (let t = Math.ceil((from + offsetMs) / step) * step - offsetMs; t <= to; t += step) out.push(t);
  return out;
}
