"use client";

import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartLegend } from "@/components/charts/chart-legend";
import { useMediaRatesQuery } from "@/lib/queries/media-query";
import { appendRateSample, type RateSample } from "@/lib/ui/rate-samples";
import { formatBitRate, formatBytesRate } from "@/lib/ui/format-rate";
import { STATE_STYLES } from "@/lib/ui/state-palette";
import { formatClock } from "@/lib/ui/format-time";

const LINE_COLOURS = [STATE_STYLES.receiving, STATE_STYLES.media_stopped, STATE_STYLES.closed, STATE_STYLES.waiting];

/** Chrome colours follow the theme (Tailwind's slate variables), with the dark theme as fallback. */
function useChromeColours(): { grid: string; axis: string; tooltipBg: string; tooltipBorder: string } {
  const [c, setC] = useState({ grid: "#1e293b", axis: "#64748b", tooltipBg: "#0f172a", tooltipBorder: "#334155" });
  useEffect(() => {
    const css = getComputedStyle(document.documentElement);
    const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
    setC({ grid: v("--color-slate-800", "#1e293b"), axis: v("--color-slate-500", "#64748b"), tooltipBg: v("--color-slate-900", "#0f172a"), tooltipBorder: v("--color-slate-700", "#334155") });
  }, []);
  return c;
}

/**
 * The stream's receive rate (ZLM's bytesSpeed) now, and as sampled every poll
 * while this page is open: the server keeps no rate history.
 */
export function RateChart({ rtpKey, node }: { rtpKey: string; node?: string }) {
  const { t } = useTranslation();
  const colours = useChromeColours();
  const media = useMediaRatesQuery({ key: rtpKey, node });
  const [samples, setSamples] = useState<RateSample[]>([]);
  useEffect(() => {
    if (media.data) setSamples((prev) => appendRateSample(prev, media.data.nodes, rtpKey, Date.now()));
  }, [media.data, rtpKey]);
  const current = (media.data?.nodes ?? []).flatMap((n) => n.rates.map((r) => ({ nodeId: n.nodeId, bytesSpeed: r.bytesSpeed })));
  const nodeIds = [...new Set(samples.flatMap((s) => Object.keys(s.rates)))].filter((id) => samples.some((s) => (s.rates[id] ?? 0) > 0) || current.some((c) => c.nodeId === id));
  const points = samples.map((s) => ({ t: s.t, ...s.rates }));
  return (
    <figure className="rounded-lg border border-slate-800 p-3" data-testid="rate-chart">
      <figcaption className="mb-1 flex flex-wrap items-baseline gap-3 text-sm">
        <span className="font-semibold text-slate-300">{t("investigation.rateTitle")}</span>
        {current.length === 0 ? (
          <span className="text-slate-400">{t("investigation.rateNone")}</span>
        ) : (
          current.map((c) => (
            <span key={c.nodeId} className="font-mono text-xs" data-testid="rate-now" data-bytes-speed={c.bytesSpeed}>
              {c.nodeId}: {formatBytesRate(c.bytesSpeed)} <span className="text-slate-400">{formatBitRate(c.bytesSpeed)}</span>
            </span>
          ))
        )}
      </figcaption>
      {points.length > 1 && nodeIds.length > 0 && (
        <div style={{ height: 140 }}>
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={points} margin={{ top: 12, right: 8, bottom: 0, left: 8 }}>
              <CartesianGrid stroke={colours.grid} vertical={false} />
              <XAxis dataKey="t" type="number" domain={["dataMin", "dataMax"]} tickFormatter={(v: number) => formatClock(v)} stroke={colours.axis} fontSize={10} minTickGap={40} />
              <YAxis tickFormatter={(v: number) => formatBytesRate(v)} stroke={colours.axis} fontSize={10} width={64} />
              <Tooltip labelFormatter={(v) => formatClock(Number(v), true)} formatter={(v) => formatBytesRate(Number(v))} contentStyle={{ background: colours.tooltipBg, border: `1px solid ${colours.tooltipBorder}`, fontSize: 12 }} />
              <Legend content={(props) => <ChartLegend payload={props.payload} />} />
              {nodeIds.map((id, i) => (
                <Line key={id} type="monotone" dataKey={id} name={id} stroke={LINE_COLOURS[i % LINE_COLOURS.length].hex} dot={false} isAnimationActive={false} />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
}
