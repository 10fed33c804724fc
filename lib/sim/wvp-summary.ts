import type { WvpStats } from "./wvp-platform";

/** One line of the bench table / CLI report, from a run's counters. */
export interface PlaySummary {
  plays: number;
  alreadyExists: number;
  /** Other openRtpServer failures, "code msg" -> count. */
  otherFailures: Record<string, number>;
  playTimeouts: number;
  withMedia: number;
  medianFirstMediaMs: number | null;
  actions: number;
  actionsTimedOut: number;
}

export function summarizePlays(s: WvpStats): PlaySummary {
  const otherFailures: Record<string, number> = {};
  for (const [k, n] of Object.entries(s.openFailures)) if (!/already exists|已存在|Assertion failed: \(it\.second\)/.test(k)) otherFailures[k] = n;
  return { plays: s.plays, alreadyExists: s.alreadyExists, otherFailures, playTimeouts: s.playTimeouts, withMedia: s.withMedia, medianFirstMediaMs: median(s.firstMediaMs), actions: s.actions, actionsTimedOut: s.actionsTimedOut };
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : Math.round((v[mid - 1] + v[mid]) / 2);
}

/** A Markdown table, one row per configuration. */
export function playTable(rows: { name: string; summary: PlaySummary; extra?: string }[]): string {
  const head = "| configuration | plays | \"already exists\" | other ZLM failures | play timeouts | plays with media | median time to first media | viewer actions (timed out) | shield closed a live server |";
  const lines = [head, "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"];
  for (const { name, summary: s, extra } of rows) {
    const other = Object.entries(s.otherFailures).map(([k, n]) => `${n}× ${k}`).join("; ") || "0";
    lines.push(`| ${name} | ${s.plays} | ${s.alreadyExists} | ${other} | ${s.playTimeouts} | ${s.withMedia} | ${s.medianFirstMediaMs === null ? "—" : `${s.medianFirstMediaMs} ms`} | ${s.actions} (${s.actionsTimedOut}) | ${extra ?? "—"} |`);
  }
  return lines.join("\n");
}
