"use client";

import { Area, Bar, CartesianGrid, ComposedChart, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ActivityPoint } from "@/lib/ui/activity-series";
import { STATE_STYLES } from "@/lib/ui/state-palette";

/** RTP servers open (waiting vs receiving) with timeouts and open failures per bucket. Colours from the one palette. */
export function ActivityChart({ points, bucketMs }: { points: ActivityPoint[]; bucketMs: number }) {
  const fmt = (t: number) => new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hour12: false });
  return (
    <figure className="rounded-lg border border-slate-800 p-3" data-testid="activity-chart">
      <figcaption className="mb-1 text-sm font-semibold text-slate-300">
        Servers open, timeouts and open failures <span className="font-normal text-slate-500">(per {Math.round(bucketMs / 60_000)} min)</span>
      </figcaption>
      <div style={{ height: 200 }}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={points} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid stroke="#1e293b" vertical={false} />
            <XAxis dataKey="t" tickFormatter={fmt} stroke="#64748b" fontSize={10} minTickGap={40} />
            <YAxis allowDecimals={false} stroke="#64748b" fontSize={10} />
            <Tooltip labelFormatter={(t) => fmt(Number(t))} contentStyle={{ background: "#0f172a", border: "1px solid #334155", fontSize: 12 }} />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            <Area type="stepAfter" dataKey="receiving" name={STATE_STYLES.receiving.label} stackId="open" stroke={STATE_STYLES.receiving.hex} fill={STATE_STYLES.receiving.hex} fillOpacity={0.5} isAnimationActive={false} />
            <Area type="stepAfter" dataKey="waiting" name={STATE_STYLES.waiting.label} stackId="open" stroke={STATE_STYLES.waiting.hex} fill={STATE_STYLES.waiting.hex} fillOpacity={0.5} isAnimationActive={false} />
            <Bar dataKey="timeouts" name="Timeouts" fill={STATE_STYLES.timed_out.hex} isAnimationActive={false} />
            <Bar dataKey="openFailures" name="Open failures" fill={STATE_STYLES.open_failed.hex} isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
