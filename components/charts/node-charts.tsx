"use client";

import { memo } from "react";
import { useTranslation } from "react-i18next";
import { Area, Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartLegend } from "@/components/charts/chart-legend";
import type { NodeActivityPoint } from "@/lib/ui/node-activity";
import { CAUSES, CAUSE_STYLES } from "@/lib/ui/cause-palette";
import { STATE_STYLES } from "@/lib/ui/state-palette";
import { POOL_WARN_PCT } from "@/lib/ui/node-activity";
import { formatHourMinute } from "@/lib/ui/format-time";

const axis = { stroke: "var(--ps-chart-axis)", fontSize: 10 };
const tooltipStyle = { background: "var(--ps-chart-tooltip-bg)", border: "1px solid var(--ps-chart-tooltip-border)", fontSize: 12 };
const fmt = (t: number) => formatHourMinute(t);

/**
 * One node's charts: servers open (waiting vs receiving) against the port pool,
 * timeouts, and open failures by "already exists" cause, per bucket.
 */
// Memoised: the overview re-renders every second (its clock) and on every SSE patch; charts only when their data changes.
export const NodeCharts = memo(function NodeCharts({ nodeId, label, points, bucketMs, poolCapacity }: { nodeId: string; label: string; points: NodeActivityPoint[]; bucketMs: number; poolCapacity: number | null }) {
  const { t } = useTranslation();
  const per = t("charts.per", { minutes: Math.round(bucketMs / 60_000) });
  return (
    <figure className="space-y-2 rounded-lg border border-slate-800 p-3" data-testid={`node-charts-${nodeId}`}>
      <figcaption className="text-sm font-semibold text-slate-300">
        <span translate="no">{label}</span> <span className="font-normal text-slate-400">{per}</span>
      </figcaption>
      <div style={{ height: 150 }} data-testid="chart-servers">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={points} margin={{ top: 4, right: 4, bottom: 0, left: -20 }} syncId={`node-${nodeId}`}>
            <CartesianGrid stroke="var(--ps-chart-grid)" vertical={false} />
            <XAxis dataKey="t" tickFormatter={fmt} {...axis} minTickGap={40} />
            {/* With a known pool both axes share one scale (n of capacity = pct), so 12 of 1,250 ports reads as 1 %, not as a full chart. */}
            <YAxis yAxisId="n" allowDecimals={false} {...axis} domain={poolCapacity !== null ? [0, poolCapacity] : [0, "auto"]} />
            <YAxis yAxisId="pct" orientation="right" domain={[0, 100]} unit="%" {...axis} hide={poolCapacity === null} />
            <Tooltip labelFormatter={(v) => fmt(Number(v))} contentStyle={tooltipStyle} />
            <Legend content={(props) => <ChartLegend payload={props.payload} />} />
            <Area yAxisId="n" type="stepAfter" dataKey="receiving" name={t("state.receiving")} stackId="open" stroke={STATE_STYLES.receiving.hex} fill={STATE_STYLES.receiving.hex} fillOpacity={0.5} isAnimationActive={false} />
            <Area yAxisId="n" type="stepAfter" dataKey="waiting" name={t("state.waiting")} stackId="open" stroke={STATE_STYLES.waiting.hex} fill={STATE_STYLES.waiting.hex} fillOpacity={0.5} isAnimationActive={false} />
            {poolCapacity !== null && <Line yAxisId="pct" type="stepAfter" dataKey="poolPct" name={t("charts.pool", { capacity: poolCapacity })} stroke="var(--ps-chart-axis)" strokeDasharray="4 2" dot={false} isAnimationActive={false} />}
            {poolCapacity !== null && <ReferenceLine yAxisId="n" y={(poolCapacity * POOL_WARN_PCT) / 100} ifOverflow="extendDomain" stroke={STATE_STYLES.timed_out.hex} strokeDasharray="2 2" data-testid="pool-warn-line" />}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <div style={{ height: 140 }} data-testid="chart-failures">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={points} margin={{ top: 4, right: 4, bottom: 0, left: -20 }} syncId={`node-${nodeId}`}>
            <CartesianGrid stroke="var(--ps-chart-grid)" vertical={false} />
            <XAxis dataKey="t" tickFormatter={fmt} {...axis} minTickGap={40} />
            <YAxis allowDecimals={false} {...axis} />
            <Tooltip labelFormatter={(v) => fmt(Number(v))} contentStyle={tooltipStyle} />
            <Legend content={(props) => <ChartLegend payload={props.payload} />} />
            <Bar dataKey="timeouts" name={t("charts.timeouts")} fill={STATE_STYLES.timed_out.hex} isAnimationActive={false} />
            {CAUSES.map((c) => (
              <Bar key={c} dataKey={`failures.${c}`} name={t(`cause.${c}`)} stackId="fail" fill={CAUSE_STYLES[c].hex} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
});
