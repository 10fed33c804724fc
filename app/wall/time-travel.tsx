"use client";

import { useState } from "react";
import { useTranslation } from "react-i18next";
import { DateTimeField } from "@/components/ui/date-time-field";

const DAY = 86_400_000;

/**
 * `?at=` as a slider (the last 24 h) and a date-time field, so support can
 * type "10:07" of the day a customer complained about. Null means live.
 */
export function TimeTravel({ at, now, onChange }: { at: number | null; now: number; onChange: (at: number | null) => void }) {
  const [editingFrom, setEditingFrom] = useState<number | null>(null);
  const { t } = useTranslation();
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <span>{t("wall.timeTravel")}</span>
      <input
        type="range"
        aria-label={t("wall.timeTravelSlider")}
        min={-DAY}
        max={0}
        step={1000}
        value={at === null ? 0 : Math.max(-DAY, Math.min(0, at - now))}
        onChange={(e) => onChange(Number(e.target.value) === 0 ? null : Date.now() + Number(e.target.value))}
        data-testid="time-travel"
      />
      <DateTimeField
        aria-label={t("wall.timeTravelAt")}
        // While live the field shows the ticking clock, except while the operator types in it.
        value={at ?? editingFrom ?? now}
        onFocus={() => setEditingFrom(now)}
        onBlur={() => setEditingFrom(null)}
        onChange={(v) => {
          if (v !== null) onChange(v >= Date.now() ? null : v);
        }}
        className="rounded border border-slate-700 bg-slate-900 px-1 py-0.5 font-mono text-xs"
        data-testid="time-travel-at"
      />
      {at !== null && (
        <button onClick={() => onChange(null)} className="rounded bg-slate-800 px-2 py-0.5 text-xs hover:bg-slate-700" data-testid="back-to-live">
          {t("wall.backToLive")}
        </button>
      )}
    </div>
  );
}
