"use client";

import { Fragment, useEffect, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { PortscopeEvent } from "@/lib/events/types";
import type { PortSession } from "@/lib/lifecycle/types";
import { formatClock } from "@/lib/ui/format-time";
import { viewerZone } from "@/lib/ui/local-datetime";
import { parseVerdict, verdictVariant } from "@/components/investigation/verdict-text";

/** One line an operator can read: ZLM's answer and the diagnosis for failed opens, the step for actions. */
function useSummary(): (e: PortscopeEvent) => ReactNode {
  const { t } = useTranslation();
  return (e) => {
    const p = e.payload as { code?: number; msg?: string; step?: string; decision?: string; outcome?: string; cause?: string; port?: number | null; resumedAfterMs?: number | null; mediaDeadline?: number | null };
    if (e.kind === "rtp.open_failed") {
      const v = parseVerdict(e.payload);
      // ZLM's own answer stays as ZLM wrote it; the diagnosis is in the viewer's language.
      return (
        <>
          <span translate="no">{`ZLM ${p.code ?? ""} ${p.msg ?? ""}`}</span>
          {v ? ` — (${v.cause}) ${t(`verdict.title.${verdictVariant(v)}`, { defaultValue: v.title })}` : ""}
        </>
      );
    }
    if (e.kind === "shield.decision") return p.decision ?? "";
    // Step ids, reasons and user names are data (translate="no"); the rest is in the viewer's language.
    if (e.kind === "action.step") return p.step ? <><span translate="no">{p.step}</span> — {t(`actions.step.${p.step}`, { defaultValue: "" })}</> : "";
    const actor = (e.payload as { actor?: { user?: string; role?: string } | null }).actor;
    const by = actor?.user ? <> — <span translate="no">{actor.user}</span> ({t(`auth.role.${actor.role ?? "viewer"}`, { defaultValue: actor.role ?? "" })})</> : null;
    const reason = (e.payload as { reason?: string }).reason;
    if (e.kind === "action.started") return <>{reason ? <span translate="no">“{reason}”</span> : null}{by}</>;
    if (e.kind === "action.finished") return <>{p.outcome ? t(`actions.outcome.${p.outcome}`, { defaultValue: p.outcome, port: p.port ?? "", afterMs: p.resumedAfterMs ?? "", deadline: typeof p.mediaDeadline === "number" ? formatClock(p.mediaDeadline) : "" }) : ""}{by}</>;
    if (e.kind === "rtp.released") return p.cause ? t(`endCause.${p.cause}`, { defaultValue: p.cause }) : "";
    return "";
  };
}

/**
 * Every event of a stream, to the millisecond in the viewer's named zone, with
 * its raw payload one click away (`openId` is kept in the URL by the page).
 */
export function EventTable({ events, highlightSession, openId, onToggle, truncated = false }: { events: PortscopeEvent[]; highlightSession: PortSession | null; openId: number | null; onToggle: (id: number | null) => void; truncated?: boolean }) {
  const { t } = useTranslation();
  const summary = useSummary();
  const inSession = (e: PortscopeEvent) => !!highlightSession && e.at >= highlightSession.openedAt && e.id <= highlightSession.lastEventId;
  useEffect(() => {
    if (openId !== null) document.getElementById(`event-${openId}`)?.scrollIntoView({ block: "center" });
  }, [openId]);
  return (
    <section aria-labelledby="events-heading">
      <h2 id="events-heading" className="mb-1 text-sm font-semibold text-slate-300">
        {t("events.title", { count: events.length })} <span className="font-normal text-slate-400">· {t("events.zone", { zone: viewerZone() })}</span>
      </h2>
      <table className="w-full text-left text-xs" data-testid="event-table">
        <thead className="text-slate-400">
          <tr>
            <th>{t("events.col.id")}</th>
            <th>{t("events.col.time")}</th>
            <th>{t("events.col.node")}</th>
            <th>{t("events.col.kind")}</th>
            <th>{t("events.col.source")}</th>
            <th>{t("events.col.port")}</th>
            <th>{t("events.col.hookIndex")}</th>
            <th>{t("events.col.detail")}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <Fragment key={e.id}>
              <tr
                id={`event-${e.id}`}
                data-kind={e.kind}
                data-event-id={e.id}
                onClick={() => onToggle(openId === e.id ? null : e.id)}
                aria-expanded={openId === e.id}
                title={t("events.rawToggle", { id: e.id })}
                className={`cursor-pointer border-t border-slate-800 ${openId === e.id ? "bg-sky-950/60" : inSession(e) ? "bg-slate-800/60" : ""}`}
              >
                <td className="text-slate-400">{e.id}</td>
                <td className="whitespace-nowrap font-mono">{formatClock(e.at, true)}</td>
                <td className="whitespace-nowrap" translate="no" data-testid="event-node">
                  {e.nodeId}
                </td>
                <td title={e.kind}>{t(`eventKind.${e.kind}`, { defaultValue: e.kind })}</td>
                <td>{t(`source.${e.source}`, { defaultValue: e.source })}</td>
                <td>{e.port ?? ""}</td>
                <td>{e.hookIndex ?? ""}</td>
                <td className={e.kind === "rtp.open_failed" ? "text-amber-300" : "text-slate-400"}>{summary(e)}</td>
              </tr>
              {openId === e.id && (
                <tr>
                  <td colSpan={8}>
                    <pre className="overflow-x-auto rounded bg-slate-900 p-2 text-[11px]" data-testid="event-raw">
                      {JSON.stringify(e, null, 2)}
                    </pre>
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
      {events.length === 0 && <p className="py-2 text-xs text-slate-400">{t("events.none")}</p>}
      {truncated && <p className="py-2 text-xs text-amber-300">{t("events.more", { shown: events.length })}</p>}
    </section>
  );
}
