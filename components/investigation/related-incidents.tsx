"use client";

import { useTranslation } from "react-i18next";
import type { Incident } from "@/lib/lifecycle/incidents";
import { IncidentRow } from "@/components/incidents/incident-list";

/** This stream's or port's incidents, open first, each with its help and the events it was raised on. */
export function RelatedIncidents({ incidents, onShowEvent }: { incidents: Incident[]; onShowEvent: (id: number) => void }) {
  const { t } = useTranslation();
  if (incidents.length === 0) return null;
  return (
    <section aria-labelledby="stream-incidents-heading">
      <h2 id="stream-incidents-heading" className="mb-1 text-sm font-semibold text-slate-300">
        {t("incidents.title")}
      </h2>
      <div className="space-y-1 text-sm" data-testid="stream-anomalies">
        {incidents.map((i) => (
          <div key={i.id} data-active={i.active ? "1" : "0"}>
            <ul>
              <IncidentRow incident={i} compact={false} />
            </ul>
            {i.eventIds.length > 0 && (
              <p className="mt-1 flex flex-wrap gap-1 text-xs">
                <span className="text-slate-400">{t("investigation.evidence")}</span>
                {i.eventIds.slice(-10).map((id) => (
                  <button key={id} onClick={() => onShowEvent(id)} className="text-sky-300 hover:underline" data-testid="anomaly-evidence">
                    {t("investigation.evidenceEvent", { id })}
                  </button>
                ))}
              </p>
            )}
          </div>
        ))}
      </div>
    </section>
  );
}
