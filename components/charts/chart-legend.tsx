import type { LegendPayload } from "recharts";

/**
 * The charts' legend: a colour swatch beside text in the page's own text
 * colour. Recharts' default paints the text in the series colour (yellow on
 * white fails WCAG AA in the light theme) and labels its icons in English.
 */
export function ChartLegend({ payload }: { payload?: readonly LegendPayload[] }) {
  return (
    <ul className="flex flex-wrap justify-center gap-x-3 gap-y-0.5 text-[11px] text-slate-300" data-testid="chart-legend">
      {(payload ?? []).map((p) => (
        <li key={String(p.value)} className="flex items-center gap-1">
          <span aria-hidden className={`inline-block ${p.type === "line" ? "h-0.5 w-3" : "h-2.5 w-2.5 rounded-sm"}`} style={{ background: p.color }} />
          {p.value}
        </li>
      ))}
    </ul>
  );
}
