"use client";

import Link from "next/link";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { SEVERITY_ORDER, type Incident, type Severity } from "@/lib/lifecycle/incidents";
import { formatClock } from "@/lib/ui/format-time";
import { streamHref } from "@/lib/ui/links";
import { useIncidentMark } from "@/lib/queries/incidents-query";
import { useCanAct } from "@/lib/queries/me-query";

export const SEVERITY_STYLE: Record<Severity, string> = {
  critical: "border-red-700 bg-red-950 text-red-100",
  warning: "border-amber-700 bg-amber-950 text-amber-100",
  info: "border-sky-800 bg-slate-900 text-sky-100",
};

/**
 * Incidents grouped by severity (critical first), each once with its count,
 * state, help text (what it means in ZLM terms, what to do) and the operator's
 * acknowledge / silence. Resolved ones stay below, folded.
 */
export function IncidentList({ incidents, compact = false, limit = 12 }: { incidents: Incident[]; compact?: boolean; limit?: number }) {
  const { t } = useTranslation();
  const current = incidents.filter((i) => i.state !== "resolved");
  const resolved = incidents.filter((i) => i.state === "resolved");
  const open = current.filter((i) => i.state === "open").length;
  return (
    <section aria-labelledby="incidents-heading" className="rounded-lg border border-slate-800 p-3" data-testid="incidents" data-open={open}>
      <h2 id="incidents-heading" className="mb-2 flex flex-wrap items-baseline gap-2 text-sm font-semibold text-slate-300">
        {t("incidents.title")} <span className="text-slate-400">({t("incidents.openCount", { count: open })})</span>
        {SEVERITY_ORDER.map((sev) => {
          const n = current.filter((i) => i.severity === sev).length;
          return n > 0 ? (
            <span key={sev} className={`rounded border px-1.5 text-xs ${SEVERITY_STYLE[sev]}`} data-testid={`incidents-${sev}`}>
              {t(`severity.${sev}`)} {n}
            </span>
          ) : null;
        })}
      </h2>
      {current.length === 0 && <p className="text-xs text-slate-400">{t("incidents.none")}</p>}
      {SEVERITY_ORDER.map((sev) => {
        const group = current.filter((i) => i.severity === sev);
        if (group.length === 0) return null;
        return (
          <ul key={sev} className={`mb-2 text-xs ${compact ? "grid gap-1.5 [grid-template-columns:repeat(auto-fill,minmax(28rem,1fr))]" : "space-y-1.5"}`} data-testid="incident-group" data-severity={sev}>
            {group.slice(0, limit).map((i) => (
              <IncidentRow key={i.id} incident={i} compact={compact} />
            ))}
            {limit < group.length && <li className="text-slate-400">{t("incidents.more", { count: group.length - limit })}</li>}
          </ul>
        );
      })}
      {resolved.length > 0 && !compact && (
        <details className="text-xs text-slate-400">
          <summary>{t("incidents.resolvedCount", { count: resolved.length })}</summary>
          <ul className="mt-1 space-y-1">
            {resolved.slice(0, 10).map((i) => (
              <IncidentRow key={i.id} incident={i} compact />
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

export function IncidentRow({ incident: i, compact }: { incident: Incident; compact: boolean }) {
  const { t } = useTranslation();
  const [form, setForm] = useState<"acknowledge" | "silence" | null>(null);
  return (
    <li className={`rounded border p-2 ${i.state === "resolved" ? "border-slate-800 bg-slate-900 text-slate-400" : SEVERITY_STYLE[i.severity]}`} data-testid="incident" data-type={i.type} data-state={i.state} data-severity={i.severity} data-staged={i.staged ? "1" : "0"}>
      <div className="flex flex-wrap items-baseline gap-2">
        <span className="font-semibold">{t(`anomalyType.${i.type}`)}</span>
        <span className="tabular-nums">{t("incidents.count", { count: i.count })}</span>
        <span className="rounded bg-slate-950/60 px-1">{t(`incidentState.${i.state}`)}</span>
        <span className="ml-auto font-mono text-slate-300">
          {i.nodeId} ·{" "}
          {i.key ? (
            <Link className="hover:underline" href={streamHref(i.key)}>
              {i.key.split("/").slice(2).join("/")}
            </Link>
          ) : null}
          {i.port !== null && ` :${i.port}`}
        </span>
      </div>
      {!compact && <p className="mt-0.5 text-slate-300">{t("incidents.firstLast", { first: formatClock(i.firstSeenAt), last: formatClock(i.lastSeenAt) })}</p>}
      {i.staged && <p className="mt-0.5 italic text-slate-300">{t("incidents.staged", { label: i.stagedAct ? t(`incidents.acts.${i.stagedAct}`, { defaultValue: i.staged }) : i.staged })}</p>}
      {i.acknowledged && i.state === "acknowledged" && <p className="mt-0.5">{t("incidents.ackedBy", { by: i.acknowledged.by, reason: i.acknowledged.reason })}</p>}
      {i.silenced && i.state === "silenced" && <p className="mt-0.5">{t("incidents.silencedUntil", { until: formatClock(i.silenced.until), by: i.silenced.by, reason: i.silenced.reason })}</p>}
      {!compact && (
        <details className="mt-1">
          <summary className="cursor-pointer text-slate-300">{t("incidents.help")}</summary>
          <p className="mt-1">{t(`incidentHelp.${i.type}.meaning`)}</p>
          <p className="mt-1 font-semibold">{t(`incidentHelp.${i.type}.action`)}</p>
        </details>
      )}
      {!compact && i.state !== "resolved" && (
        <IncidentButtons>
          {i.state !== "acknowledged" && (
            <button type="button" className="rounded bg-slate-800 px-1.5 py-0.5 text-slate-100 hover:bg-slate-700 disabled:cursor-not-allowed disabled:opacity-40" onClick={() => setForm("acknowledge")} data-testid="incident-ack">
              {t("incidents.acknowledge")}
            </button>
          )}
          <button type="button" className="rounded bg-slate-800 px-1.5 py-0.5 text-slate-100 hover:bg-slate-700 disabled:cursor-not-allowed disabled:opacity-40" onClick={() => setForm("silence")} data-testid="incident-silence">
            {t("incidents.silence")}
          </button>
        </IncidentButtons>
      )}
      {form && <MarkForm incident={i} op={form} onDone={() => setForm(null)} />}
    </li>
  );
}

function MarkForm({ incident, op, onDone }: { incident: Incident; op: "acknowledge" | "silence"; onDone: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState("");
  const [minutes, setMinutes] = useState(60);
  const mark = useIncidentMark();
  return (
    <form
      className="mt-1 flex flex-wrap items-center gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        mark.mutate({ incidentId: incident.id, op, reason, ...(op === "silence" ? { minutes } : {}) }, { onSuccess: onDone });
      }}
    >
      <input aria-label={t("incidents.reasonPlaceholder")} placeholder={t("incidents.reasonPlaceholder")} value={reason} onChange={(e) => setReason(e.target.value)} className="min-w-[12rem] flex-1 rounded border border-slate-700 bg-slate-950 px-1 text-slate-100" data-testid="incident-reason" autoFocus />
      {op === "silence" && (
        <label className="flex items-center gap-1">
          <input type="number" min={1} max={10080} value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} className="w-16 rounded border border-slate-700 bg-slate-950 px-1 text-slate-100" data-testid="incident-minutes" />
          {t("incidents.minutes")}
        </label>
      )}
      <button type="submit" disabled={reason.trim().length < 3 || mark.isPending} className="rounded bg-sky-700 px-2 py-0.5 text-white disabled:opacity-50" data-testid="incident-mark-submit">
        {op === "acknowledge" ? t("incidents.confirmAck") : t("incidents.confirmSilence")}
      </button>
      <button type="button" onClick={onDone} className="rounded bg-slate-800 px-2 py-0.5 text-slate-100">
        {t("incidents.cancel")}
      </button>
      {mark.error && <span role="alert" className="text-red-300">{t("incidents.failed", { message: mark.error.message })}</span>}
    </form>
  );
}

/** Acknowledge / silence: a fieldset, so a role that may not act sees them disabled with the reason. */
function IncidentButtons({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { canAct, role } = useCanAct();
  return (
    <fieldset disabled={!canAct} title={!canAct && role ? t("auth.roleCannotAct", { role: t(`auth.role.${role}`) }) : undefined} className="mt-1 flex gap-2">
      {children}
    </fieldset>
  );
}
