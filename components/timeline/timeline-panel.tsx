"use client";

import { useRouter } from "next/navigation";
import { useEffect, useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { PortSession } from "@/lib/lifecycle/types";
import { timelineRows } from "@/lib/ui/session-bands";
import { RANGES, type RangeKey } from "@/lib/ui/time-range";
import { streamHref } from "@/lib/ui/links";
import { LifecycleTimeline, TimelineLegend } from "./lifecycle-timeline";
import type { TimelineView } from "./use-timeline-view";

/** The overview's timeline section: range, follow-live and row-mode controls, the legend and the canvas timeline. */
export function TimelinePanel({ view, sessions, total, emptyState }: { view: TimelineView; sessions: PortSession[]; total: number; emptyState?: React.ReactNode }) {
  const { t } = useTranslation();
  const router = useRouter();
  const { range, follow, rowMode, kiosk, from, to, now, setParam } = view;
  const rows = useMemo(() => timelineRows(sessions, rowMode), [sessions, rowMode]);

  // Keyboard: 1-6 pick the time range, f toggles follow-live (search is "/").
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.target instanceof HTMLTextAreaElement || e.metaKey || e.ctrlKey || e.altKey) return;
      const keys = Object.keys(RANGES) as RangeKey[];
      const n = Number(e.key);
      if (n >= 1 && n <= keys.length) setParam("range", keys[n - 1]);
      else if (e.key === "f") setParam("follow", follow ? "0" : null);
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
        <div className="flex gap-1" role="group" aria-label="Time range">
          {(Object.keys(RANGES) as RangeKey[]).map((r, i) => (
            <button key={r} title={`${i + 1}`} onClick={() => setParam("range", r)} aria-pressed={r === range} className={`rounded px-2 py-0.5 text-xs ${r === range ? "bg-sky-700 text-white" : "bg-slate-800"}`}>
              {r}
            </button>
          ))}
        </div>
        <label className="flex items-center gap-1 text-xs">
          <input type="checkbox" checked={follow} onChange={(e) => setParam("follow", e.target.checked ? null : "0")} /> {t("timeline.follow")}
        </label>
        <label className="flex items-center gap-1 text-xs">
          {t("timeline.rows")}
          <select value={rowMode} onChange={(e) => setParam("rows", e.target.value === "key" ? null : e.target.value)} className="rounded bg-slate-800 px-1">
            <option value="key">{t("timeline.perStream")}</option>
            <option value="port">{t("timeline.perPort")}</option>
          </select>
        </label>
        <span className="text-xs text-slate-400" data-testid="timeline-count">
          {t("timeline.count", { rows: rows.length, sessions: total, zone: Intl.DateTimeFormat().resolvedOptions().timeZone })}
        </span>
      </div>
      {emptyState}
      <TimelineLegend />
      <LifecycleTimeline rows={rows} from={from} to={to} now={now} height={kiosk ? 640 : 460} onSelect={(s) => router.push(streamHref(s.key))} />
    </section>
  );
}
