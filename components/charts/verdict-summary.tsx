"use client";

import { memo } from "react";
import Link from "next/link";
import { useTranslation } from "react-i18next";
import type { DiagnosisResponse } from "@/lib/queries/diagnosis-query";
import { CAUSES, CAUSE_STYLES } from "@/lib/ui/cause-palette";
import { formatClock } from "@/lib/ui/format-time";
import { streamHref } from "@/lib/ui/links";
import { verdictVariant } from "@/components/investigation/verdict-text";

/** Why opens failed in the window: counts per "already exists" cause and the latest verdicts with their fix. */
// Memoised: the overview re-renders every second (its clock) and on every SSE patch; charts only when their data changes.
export const VerdictSummary = memo(function VerdictSummary({ data }: { data: DiagnosisResponse | undefined }) {
  const { t } = useTranslation();
  const totals = data?.totals;
  return (
    <section className="rounded-lg border border-slate-800 p-3" data-testid="verdict-summary" aria-labelledby="verdicts-heading">
      <h2 id="verdicts-heading" className="text-sm font-semibold text-slate-300">
        {t("verdicts.title")} <span className="font-normal text-slate-400">{t("verdicts.total", { count: totals?.all ?? 0 })}</span>
      </h2>
      <ul className="mt-2 flex flex-wrap gap-2 text-xs">
        {CAUSES.map((c) => (
          <li key={c} className="flex items-center gap-1 rounded bg-slate-900 px-2 py-0.5" data-cause={c} data-count={totals?.[c] ?? 0}>
            <span className="inline-block h-2.5 w-2.5 rounded-sm" style={{ background: CAUSE_STYLES[c].hex }} />
            {t(`cause.${c}`)} <strong>{totals?.[c] ?? 0}</strong>
          </li>
        ))}
      </ul>
      {data && data.recent.length === 0 && <p className="mt-2 text-sm text-slate-400">{t("verdicts.none")}</p>}
      <ol className="mt-2 space-y-1 text-sm">
        {(data?.recent ?? []).slice(0, 6).map((v) => (
          <li key={v.eventId} className="border-t border-slate-800 pt-1" data-testid="verdict" data-cause={v.cause}>
            <span className="mr-2 inline-block h-2.5 w-2.5 rounded-sm" style={{ background: CAUSE_STYLES[v.cause].hex }} />
            <span className="text-slate-400">{formatClock(v.at)}</span> {v.key ? <Link className="font-mono hover:underline" href={streamHref(v.key)}>{v.key.split("/").slice(2).join("/")}</Link> : v.nodeId}{" "}
            <span className="text-slate-400">· {v.nodeId} ·</span> {t(`verdict.title.${verdictVariant(v)}`, { defaultValue: v.title })}
            <div className="text-xs text-slate-400">{t(`verdict.fix.${verdictVariant(v)}`, { defaultValue: v.fix, key: v.key ?? "" })}</div>
          </li>
        ))}
      </ol>
    </section>
  );
});
