"use client";

import { useTranslation } from "react-i18next";
import type { PortscopeEvent } from "@/lib/events/types";
import { formatClock } from "@/lib/ui/format-time";
import { isEpochMs, parseVerdict, verdictVariant } from "./verdict-text";

const SHOWN = 5;

function evidenceValue(v: unknown): string {
  if (isEpochMs(v)) return formatClock(v, true);
  if (Array.isArray(v) && v.every(isEpochMs)) return v.map((x) => formatClock(x, true)).join(" – ");
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** Each refused open with Portscope's diagnosis: the cause, the evidence it rests on and the fix (newest first). */
export function VerdictList({ events, onShowEvent }: { events: PortscopeEvent[]; onShowEvent: (id: number) => void }) {
  const { t } = useTranslation();
  const failed = events.filter((e) => e.kind === "rtp.open_failed" && parseVerdict(e.payload)).slice(-SHOWN).reverse();
  if (failed.length === 0) return null;
  return (
    <section aria-labelledby="verdicts-heading" className="space-y-2" data-testid="verdicts">
      <h2 id="verdicts-heading" className="text-sm font-semibold text-slate-300">
        {t("investigation.verdictsTitle")}
      </h2>
      {failed.map((e) => {
        const v = parseVerdict(e.payload)!;
        const variant = verdictVariant(v);
        const p = e.payload as { code?: number; msg?: string };
        return (
          <article key={e.id} className="rounded border border-amber-700/60 bg-amber-950/40 p-3 text-sm" data-testid="verdict" data-cause={v.cause}>
            <div className="flex flex-wrap items-baseline gap-2">
              <span className="rounded bg-amber-800 px-1.5 text-xs font-semibold text-amber-100">{t("investigation.cause", { cause: v.cause })}</span>
              <span className="font-semibold text-amber-200">{t(`verdict.title.${variant}`, { defaultValue: v.title })}</span>
              <span className="ml-auto font-mono text-xs text-slate-400" translate="no">{t("investigation.verdictAt", { time: formatClock(e.at, true), code: p.code ?? "", msg: p.msg ?? "" })}</span>
            </div>
            <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5 text-xs">
              <dt className="col-span-2 text-slate-400">{t("investigation.evidence")}</dt>
              {Object.entries(v.evidence).map(([k, val]) => (
                <div key={k} className="contents">
                  <dt className="text-slate-400">{t(`verdict.evidence.${k}`, { defaultValue: k })}</dt>
                  <dd className="font-mono text-slate-200" translate="no">{evidenceValue(val)}</dd>
                </div>
              ))}
            </dl>
            <p className="mt-2 text-slate-200">
              <span className="font-semibold">{t("investigation.fix")}</span> {t(`verdict.fix.${variant}`, { defaultValue: v.fix, key: e.key ?? "" })}
            </p>
            <button onClick={() => onShowEvent(e.id)} className="mt-1 text-xs text-sky-300 hover:underline">
              {t("investigation.showEvent")}
            </button>
          </article>
        );
      })}
    </section>
  );
}
