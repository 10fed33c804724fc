"use client";

import Link from "next/link";
import { useTranslation } from "react-i18next";
import type { Anomaly } from "@/lib/lifecycle/types";
import { streamHref } from "@/lib/ui/links";

/**
 * What an anomaly means. The reducer writes English with specifics (counts,
 * "tcp_mode=1 server"); other languages get the translated explanation by type.
 */
export function AnomalyDetail({ anomaly: a, className = "mt-1 text-slate-400" }: { anomaly: Anomaly; className?: string }) {
  const { t, i18n } = useTranslation();
  return <p className={className}>{i18n.resolvedLanguage === "en" ? a.detail : t(`anomalyDetail.${a.type}`)}</p>;
}

export function AnomalyList({ anomalies }: { anomalies: Anomaly[] }) {
  const active = anomalies.filter((a) => a.active);
  const { t } = useTranslation();
  return (
    <section aria-labelledby="anomalies-heading" className="rounded-lg border border-slate-800 p-3">
      <h2 id="anomalies-heading" className="mb-2 text-sm font-semibold text-slate-300">
        {t("anomalies.title")} <span className="text-slate-500">({t("anomalies.active", { count: active.length })})</span>
      </h2>
      {active.length === 0 && <p className="text-xs text-slate-500">{t("anomalies.none")}</p>}
      <ul className="space-y-2 text-xs" data-testid="anomaly-list">
        {active.slice(0, 30).map((a) => (
          <li key={a.id} data-type={a.type} className="rounded bg-slate-900 p-2">
            <div className="flex justify-between gap-2">
              <span className="font-semibold text-amber-300">{t(`anomalyType.${a.type}`)}</span>
              <span className="text-slate-400">×{a.count}</span>
            </div>
            <div className="font-mono text-slate-300">
              {a.key ? (
                <Link className="hover:underline" href={streamHref(a.key)}>
                  {a.key}
                </Link>
              ) : (
                a.nodeId
              )}
              {a.port !== null && `:${a.port}`}
            </div>
            <AnomalyDetail anomaly={a} />
          </li>
        ))}
      </ul>
    </section>
  );
}
