"use client";

import { useTranslation } from "react-i18next";
import type { Anomaly } from "@/lib/lifecycle/types";
import { formatClock } from "@/lib/ui/format-time";
import { AnomalyDetail } from "@/components/anomalies/anomaly-list";

/** This stream's or port's anomalies, active first, each with the events it was raised on. */
export function RelatedAnomalies({ anomalies, onShowEvent }: { anomalies: Anomaly[]; onShowEvent: (id: number) => void }) {
  const { t } = useTranslation();
  if (anomalies.length === 0) return null;
  const sorted = [...anomalies].sort((a, b) => Number(b.active) - Number(a.active) || b.lastSeenAt - a.lastSeenAt);
  return (
    <section aria-labelledby="stream-anomalies-heading">
      <h2 id="stream-anomalies-heading" className="mb-1 text-sm font-semibold text-slate-300">
        {t("investigation.anomaliesTitle")}
      </h2>
      <ul className="space-y-1 text-sm" data-testid="stream-anomalies">
        {sorted.map((a) => (
          <li key={a.id} data-type={a.type} data-active={a.active ? "1" : "0"} className={`rounded p-2 ${a.active ? "bg-amber-950 text-amber-200" : "bg-slate-900 text-slate-400"}`}>
            <div className="flex flex-wrap items-baseline gap-2">
              <span className="font-semibold">{t(`anomalyType.${a.type}`)}</span>
              <span className="text-amber-400">×{a.count}</span>
              {!a.active && <span className="text-xs">({t("investigation.cleared")})</span>}
              <span className="ml-auto text-xs text-slate-400">{t("investigation.firstLast", { first: formatClock(a.firstSeenAt, true), last: formatClock(a.lastSeenAt, true) })}</span>
            </div>
            <AnomalyDetail anomaly={a} />
            {a.eventIds.length > 0 && (
              <p className="mt-1 flex flex-wrap gap-1 text-xs">
                <span className="text-slate-400">{t("investigation.evidence")}</span>
                {a.eventIds.slice(-10).map((id) => (
                  <button key={id} onClick={() => onShowEvent(id)} className="text-sky-300 hover:underline" data-testid="anomaly-evidence">
                    {t("investigation.evidenceEvent", { id })}
                  </button>
                ))}
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
