"use client";

import { useTranslation } from "react-i18next";
import { EVENT_KINDS } from "@/lib/events/types";
import { DateTimeField } from "@/components/ui/date-time-field";
import type { InvestigationView } from "./use-investigation-view";

const PRESETS = [
  ["range15m", 15 * 60e3],
  ["range1h", 3600e3],
  ["range24h", 86_400e3],
] as const;

/** Time range (presets or two date-time fields) and event kind, all kept in the URL. */
export function RangeControls({ view, update, kindsPresent }: { view: InvestigationView; update: (p: Partial<InvestigationView>) => void; kindsPresent: Set<string> }) {
  const { t } = useTranslation();
  const kinds = EVENT_KINDS.filter((k) => kindsPresent.has(k) || k === view.kind);
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="range-controls">
      <span className="text-slate-400">{t("investigation.range")}</span>
      <button onClick={() => update({ from: null, to: null })} className={`rounded px-2 py-0.5 ${view.from === null && view.to === null ? "bg-sky-800" : "bg-slate-800 hover:bg-slate-700"}`} data-testid="range-all">
        {t("investigation.rangeAll")}
      </button>
      {PRESETS.map(([key, span]) => (
        <button key={key} onClick={() => update({ from: Date.now() - span, to: null })} className="rounded bg-slate-800 px-2 py-0.5 hover:bg-slate-700" data-testid={`range-${key}`}>
          {t(`investigation.${key}`)}
        </button>
      ))}
      <label className="flex items-center gap-1">
        {t("investigation.from")}
        <DateTimeField aria-label={t("investigation.from")} value={view.from} onChange={(from) => update({ from })} className="rounded border border-slate-700 bg-slate-900 px-1 font-mono text-xs" data-testid="range-from" />
      </label>
      <label className="flex items-center gap-1">
        {t("investigation.to")}
        <DateTimeField aria-label={t("investigation.to")} value={view.to} onChange={(to) => update({ to })} className="rounded border border-slate-700 bg-slate-900 px-1 font-mono text-xs" data-testid="range-to" />
      </label>
      <select aria-label={t("investigation.kind")} value={view.kind ?? ""} onChange={(e) => update({ kind: e.target.value || null, event: null })} className="rounded bg-slate-800 px-1" data-testid="kind-filter">
        <option value="">{t("investigation.allKinds")}</option>
        {kinds.map((k) => (
          <option key={k} value={k}>
            {t(`eventKind.${k}`)} ({k})
          </option>
        ))}
      </select>
    </div>
  );
}
