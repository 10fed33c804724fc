"use client";

import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { PortSession } from "@/lib/lifecycle/types";
import { formatClock, formatDateTime, formatSpan } from "@/lib/ui/format-time";
import { keepLiveRowOrder, keepRowOrder, nodeRestarts, timelineRows, type TimelineRow } from "@/lib/ui/session-bands";
import { RANGES, type RangeKey } from "@/lib/ui/time-range";
import { LIVE_PARAMS, presetParams, windowParams } from "@/lib/ui/time-window";
import { streamHref } from "@/lib/ui/links";
import { viewerZone } from "@/lib/ui/local-datetime";
import { LifecycleTimeline, TimelineLegend } from "./lifecycle-timeline";
import { AXIS_HEIGHT, ROW_HEIGHT } from "./draw-timeline";

/** Tall enough for every row (none cut off at the bottom), no taller than `max`: a few rows leave no empty box. */
const timelineHeight = (rows: number, max: number) => Math.min(max, Math.max(160, AXIS_HEIGHT + rows * ROW_HEIGHT + 12));
import { useNewEventsWhilePaused } from "./use-new-events";
import type { TimelineView } from "./use-timeline-view";


/** The overview's timeline section: range, follow-live and row-mode controls, zoom/pan state, the legend and the canvas timeline. */
export function TimelinePanel({ view, sessions, total, emptyState }: { view: TimelineView; sessions: PortSession[]; total: number; emptyState?: React.ReactNode }) {
  const { t } = useTranslation();
  const router = useRouter();
  const { range, follow, rowMode, kiosk, from, to, now, span, setParam, setParams, setWindow } = view;
  const sorted = useMemo(() => timelineRows(sessions, rowMode), [sessions, rowMode]);
  // Following live, the newest activity comes first; paused, rows hold still where they were.
  const order = useRef<{ mode: string; ids: Map<string, number> } | null>(null);
  const liveOrder = useRef<{ mode: string; ids: string[] } | null>(null);
  const rows = useMemo((): TimelineRow[] => {
    if (follow) {
      const out = keepLiveRowOrder(sorted, liveOrder.current?.mode === rowMode ? liveOrder.current.ids : []);
      liveOrder.current = { mode: rowMode, ids: out.map((r) => r.id) };
      return out;
    }
    if (order.current?.mode !== rowMode) order.current = { mode: rowMode, ids: new Map(sorted.map((r, i) => [r.id, i])) };
    return keepRowOrder(sorted, order.current.ids);
  }, [sorted, follow, rowMode]);
  if (follow) order.current = null;
  const restarts = useMemo(() => nodeRestarts(sessions), [sessions]);
  const fresh = useNewEventsWhilePaused(!follow);
  const current = { from, to, span, range, follow };

  // Keyboard: 1-6 pick the time range, f toggles follow-live (search is "/").
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.target instanceof HTMLTextAreaElement || e.metaKey || e.ctrlKey || e.altKey) return;
      const keys = Object.keys(RANGES) as RangeKey[];
      const n = Number(e.key);
      if (n >= 1 && n <= keys.length) setParams(presetParams(keys[n - 1], current));
      else if (e.key === "f") setParams(follow ? windowParams({ from, to }) : LIVE_PARAMS);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  return (
    <section aria-labelledby="timeline-heading" className="space-y-2">
      <div className="flex flex-wrap items-center gap-3">
        <h1 id="timeline-heading" className="text-xl font-semibold">
          {t("timeline.title")}
        </h1>
        <div className="flex gap-1" role="group" aria-label={t("timeline.range")}>
          {(Object.keys(RANGES) as RangeKey[]).map((r, i) => (
            <button key={r} title={`${i + 1}`} onClick={() => setParams(presetParams(r, current))} aria-pressed={r === range && span === RANGES[r]} className={`rounded px-2 py-0.5 text-xs ${r === range && span === RANGES[r] ? "bg-sky-700 text-white" : "bg-slate-800"}`}>
              {formatSpan(RANGES[r])}
            </button>
          ))}
        </div>
        <label className="flex items-center gap-1 text-xs">
          <input type="checkbox" checked={follow} onChange={(e) => setParams(e.target.checked ? LIVE_PARAMS : windowParams({ from, to }))} data-testid="timeline-follow" /> {t("timeline.follow")}
        </label>
        <label className="flex items-center gap-1 text-xs">
          {t("timeline.rows")}
          <select value={rowMode} onChange={(e) => setParam("rows", e.target.value === "key" ? null : e.target.value)} className="rounded bg-slate-800 px-1">
            <option value="key">{t("timeline.perStream")}</option>
            <option value="port">{t("timeline.perPort")}</option>
          </select>
        </label>
        <span className="text-xs text-slate-400" data-testid="timeline-count">
          {t("timeline.count", { rows: rows.length, sessions: total, zone: viewerZone() })}
        </span>
      </div>
      <div className="flex flex-wrap items-center gap-3 text-xs">
        <span className="font-mono text-slate-300" data-testid="timeline-window" data-from={from} data-to={to} data-follow={follow ? "1" : "0"}>
          {t("timelineView.window", { from: formatDateTime(from), to: follow ? t("timelineView.now") : formatDateTime(to), span: formatSpan(span) })}
        </span>
        {!follow && (
          <span role="status" className="rounded bg-amber-950 px-2 py-0.5 text-amber-200" data-testid="timeline-paused" data-new-events={fresh.count}>
            {t("timelineView.paused", { time: formatClock(fresh.since ?? now), count: fresh.count })}
          </span>
        )}
        {!follow && (
          <button onClick={() => setWindow(null)} title={t("timelineView.backToLiveTitle")} className="rounded bg-sky-700 px-2 py-0.5 text-white hover:bg-sky-600" data-testid="timeline-reset">
            {t("timelineView.backToLive")}
          </button>
        )}
        {/* A wall screen has no mouse: no zoom/pan hints there. */}
        {!kiosk && <span className="text-slate-400">{t("timelineView.hint")}</span>}
      </div>
      {emptyState}
      <TimelineLegend />
      <LifecycleTimeline rows={rows} from={from} to={to} now={now} height={timelineHeight(rows.length, kiosk ? 640 : 460)} onSelect={(s) => router.push(streamHref(s.key))} onWindowChange={setWindow} onReset={() => setWindow(null)} restarts={restarts} rowActions />
    </section>
  );
}
