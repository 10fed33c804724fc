"use client";

import { useTranslation } from "react-i18next";
import { formatClock, formatSpan } from "@/lib/ui/format-time";

export interface ActionStep {
  at: number;
  step: string;
  detail: Record<string, unknown>;
}

export interface ActionResult {
  actionId: string;
  ok: boolean;
  outcome: string;
  port?: number;
  attempts: number;
  error?: { code: number | null; msg: string | null; kind: string; message: string };
  steps: ActionStep[];
  resumedAfterMs?: number;
  mediaDeadline?: number;
}

/** The outcome in words (what happened to the media), then each step as a sentence with its time. */
export function ActionResultView({ result }: { result: ActionResult }) {
  const { t } = useTranslation();
  const outcome = t(`actions.outcome.${result.outcome}`, {
    defaultValue: result.outcome,
    port: result.port ?? "",
    after: result.resumedAfterMs !== undefined ? formatSpan(result.resumedAfterMs < 1000 ? 1000 : result.resumedAfterMs) : "",
    afterMs: result.resumedAfterMs ?? "",
    deadline: result.mediaDeadline ? formatClock(result.mediaDeadline) : "",
  });
  return (
    <div data-testid="action-result" data-outcome={result.outcome} data-port={result.port ?? ""} role="status">
      <p className={result.ok ? "text-emerald-300" : "text-amber-300"}>
        {outcome} · {t("actions.attempts", { count: result.attempts })}
        {result.error ? ` · ZLM ${result.error.code ?? ""} ${result.error.msg ?? result.error.message}` : ""}
      </p>
      <ol className="mt-1 list-decimal space-y-0.5 pl-5 text-xs text-slate-300" data-testid="action-steps">
        {result.steps.map((s, i) => (
          <li key={i} data-step={s.step}>
            <span className="tabular-nums text-slate-400">{formatClock(s.at, true)}</span> {t(`actions.stepText.${stepTextKey(s.step, s.detail)}`, { defaultValue: s.step, ...stepParams(s.detail) })}
          </li>
        ))}
      </ol>
    </div>
  );
}

/** A step's detail as words the step texts use (port, mode, SSRC, codes, delays). */
/** A preflight that found no holder has no port, mode or SSRC to name. */
function stepTextKey(step: string, d: Record<string, unknown>): string {
  return step === "preflight" && typeof d.port !== "number" ? "preflight_absent" : step;
}

function stepParams(d: Record<string, unknown>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(d)) if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[k] = typeof v === "boolean" ? String(v) : v;
  if (typeof d.delayMs === "number") out.delay = formatSpan(Math.max(1000, d.delayMs));
  if (typeof d.deadline === "number") out.deadline = formatClock(d.deadline);
  if (typeof d.afterMs === "number") out.after = `${d.afterMs} ms`;
  return out;
}
