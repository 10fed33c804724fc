"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { NodeList } from "@/components/nodes/node-list";
import { LifecycleTimeline, TimelineLegend } from "@/components/timeline/lifecycle-timeline";
import { RecentEvents } from "@/components/activity/recent-events";
import { AnomalyList } from "@/components/anomalies/anomaly-list";
import { ActivityChart } from "@/components/charts/activity-chart";
import { ConnectZlm } from "@/components/ui/connect-zlm";
import { activitySeries } from "@/lib/ui/activity-series";
import { useNodesQuery } from "@/lib/queries/nodes-query";
import { useAnomaliesQuery, useSessionsQuery } from "@/lib/queries/sessions-query";
import { timelineRows } from "@/lib/ui/session-bands";
import { parseRange, RANGES, type RangeKey } from "@/lib/ui/time-range";
import { useNow } from "@/lib/ui/use-now";
import { streamHref } from "@/lib/ui/links";

/** The overview: nodes, the live timeline, anomalies and the newest transitions. View state lives in the URL. */
export function Overview() {
  const params = useSearchParams();
  const router = useRouter();
  const { t } = useTranslation();
  const range = parseRange(params.get("range"));
  const follow = params.get("follow") !== "0";
  const rowMode = params.get("rows") === "port" ? "port" : "key";
  const node = params.get("node") ?? undefined;
  const kiosk = params.get("kiosk") === "1";
  const now = useNow(1000, follow);
  const to = follow ? now : Number(params.get("to")) || now;
  const from = to - RANGES[range];

  useEffect(() => {
    document.documentElement.dataset.kiosk = kiosk ? "1" : "0";
  }, [kiosk]);

  // Keyboard: 1-6 pick the time range, f toggles follow-live (search is "/").
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.metaKey || e.ctrlKey || e.altKey) return;
      const keys = Object.keys(RANGES) as RangeKey[];
      const n = Number(e.key);
      if (n >= 1 && n <= keys.length) setParam("range", keys[n - 1]);
      else if (e.key === "f") setParam("follow", follow ? "0" : null);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const setParam = (k: string, v: string | null) => {
    const next = new URLSearchParams(params.toString());
    if (v === null) next.delete(k);
    else next.set(k, v);
    router.replace(`/?${next.toString()}`, { scroll: false });
  };

  const nodes = useNodesQuery();
  const sessions = useSessionsQuery({ node, from, limit: 1000 });
  const anomalies = useAnomaliesQuery(node);
  const rows = useMemo(() => timelineRows(sessions.data?.sessions ?? [], rowMode), [sessions.data, rowMode]);
  const bucketMs = Math.max(60_000, Math.round(RANGES[range] / 60 / 60_000) * 60_000);
  // Recomputed when data or range changes, not every clock tick.
  const minute = Math.floor(to / 60_000);
  const series = useMemo(() => activitySeries(sessions.data?.sessions ?? [], minute * 60_000 - RANGES[range], minute * 60_000 + 60_000, bucketMs), [sessions.data, minute, range, bucketMs]);

  return (
    <div className="space-y-4">
      {nodes.data && <NodeList nodes={nodes.data.nodes} />}
      {nodes.error && (
        <p role="alert" className="rounded border border-red-700 bg-red-950 p-3 text-red-200">
          Cannot reach Portscope&apos;s server: {nodes.error.message}
        </p>
      )}
      <section aria-labelledby="timeline-heading" className="space-y-2">
        <div className="flex flex-wrap items-center gap-3">
          <h1 id="timeline-heading" className="text-xl font-semibold">
            {t("timeline.title")}
          </h1>
          <div className="flex gap-1" role="group" aria-label="Time range">
            {(Object.keys(RANGES) as RangeKey[]).map((r) => (
              <button key={r} title={`${(Object.keys(RANGES) as RangeKey[]).indexOf(r) + 1}`} onClick={() => setParam("range", r)} aria-pressed={r === range} className={`rounded px-2 py-0.5 text-xs ${r === range ? "bg-sky-700" : "bg-slate-800"}`}>
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
            {t("timeline.count", { rows: rows.length, sessions: sessions.data?.total ?? 0, zone: Intl.DateTimeFormat().resolvedOptions().timeZone })}
          </span>
        </div>
        {sessions.isSuccess && sessions.data.total === 0 && <ConnectZlm />}
        <TimelineLegend />
        <LifecycleTimeline rows={rows} from={from} to={to} now={now} height={kiosk ? 640 : 460} onSelect={(s) => router.push(streamHref(s.key))} />
      </section>
      <ActivityChart points={series} bucketMs={bucketMs} />
      <div className="grid gap-4 lg:grid-cols-2">
        <AnomalyList anomalies={anomalies.data?.anomalies ?? []} />
        <RecentEvents />
      </div>
    </div>
  );
}
