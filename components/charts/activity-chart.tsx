"use client";

import { memo } from "react";
import { useTranslation } from "react-i18next";
import { Area, Bar, CartesianGrid, ComposedChart, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartLegend } from "@/components/charts/chart-legend";
import type { ActivityPoint } from "@/lib/ui/activity-series";
import { STATE_STYLES } from "@/lib/ui/state-palette";
import { formatHourMinute } from "@/lib/ui/format-time";

/** RTP servers open (waiting vs receiving) with timeouts and open failures per bucket. Colours from the one palette. */
// Memoised: the overview re-renders every second (its clock) and on every SSE patch; charts only when their data changes.
export const ActivityChart = memo(function ActivityChart({ points, bucketMs }: { points: ActivityPoint[]; bucketMs: number }) {
  const { t } = useTranslation();
  const fmt = (ms: number) => formatHourMinute(ms);
  return (
    <figure className="rounded-lg border border-slate-800 p-3" data-testid="activity-chart">
      <figcaption className="mb-1 text-sm font-semibold text-slate-300">
        {t("charts.allNodes")} <span className="font-normal text-slate-400">{t("charts.per", { minutes: Math.round(bucketMs / 60_000) })}</span>
      </figcaption>
      <div style={{ height: 200 }}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={points} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid stroke="var(--ps-chart-grid)" vertical={false} />
            <XAxis dataKey="t" tickFormatter={fmt} stroke="var(--ps-chart-axis)" fontSize={10} minTickGap={40} />
            <YAxis allowDecimals={false} stroke="var(--ps-chart-axis)" fontSize={10} />
            <Tooltip labelFormatter={(v) => fmt(Number(v))} contentStyle={{ background: "var(--ps-chart-tooltip-bg)", border: "1px solid var(--ps-chart-tooltip-border)", fontSize: 12 }} />
            <Legend content={(props) => <ChartLegend payload={props.payload} />} />
            <Area type="stepAfter" dataKey="receiving" name={t("state.receiving")} stackId="open" stroke={STATE_STYLES.receiving.hex} fill={STATE_STYLES.receiving.hex} fillOpacity={0.5} isAnimationActive={false} />
            <Area type="stepAfter" dataKey="waiting" name={t("state.waiting")} stackId="open" stroke={STATE_STYLES.waiting.hex} fill={STATE_STYLES.waiting.hex} fillOpacity={0.5} isAnimationActive={false} />
            <Bar dataKey="timeouts" name={t("charts.timeouts")} fill={STATE_STYLES.timed_out.hex} isAnimationActive={false} />
            <Bar dataKey="openFailures" name={t("charts.openFailures")} fill={STATE_STYLES.open_failed.hex} isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
});
