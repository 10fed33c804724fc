"use client";

import { useTranslation } from "react-i18next";
import type { PortSession } from "@/lib/lifecycle/types";
import { STATE_STYLES } from "@/lib/ui/state-palette";
import { formatClock } from "@/lib/ui/format-time";

const clock = (v: number | null) => formatClock(v);

export function SessionTable({ sessions, selected, onSelect }: { sessions: PortSession[]; selected: string | null; onSelect: (id: string | null) => void }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="sessions-heading">
      <h2 id="sessions-heading" className="mb-1 text-sm font-semibold text-slate-300">
        {t("sessions.title", { count: sessions.length })}
      </h2>
      <table className="w-full text-left text-xs" data-testid="session-table">
        <thead className="text-slate-400">
          <tr>
            <th>{t("sessions.col.state")}</th>
            <th>{t("sessions.col.node")}</th>
            <th>{t("sessions.col.port")}</th>
            <th>{t("sessions.col.opened")}</th>
            <th>{t("sessions.col.firstMedia")}</th>
            <th>{t("sessions.col.timedOut")}</th>
            <th>{t("sessions.col.closed")}</th>
            <th>{t("sessions.col.released")}</th>
            <th>{t("sessions.col.cause")}</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr
              key={s.id}
              onClick={() => onSelect(selected === s.id ? null : s.id)}
              title={t("sessions.select")}
              aria-selected={selected === s.id}
              className={`cursor-pointer border-t border-slate-800 ${selected === s.id ? "bg-slate-800" : ""}`}
              data-state={s.state}
              data-session-id={s.id}
            >
              <td>
                <span className="mr-1 inline-block h-2 w-2 rounded-full" style={{ background: STATE_STYLES[s.state].hex }} />
                {t(`state.${s.state}`)}
              </td>
              <td>{s.nodeId}</td>
              <td>{s.port ?? "—"}</td>
              <td>
                {clock(s.openedAt)} <span className="text-slate-400">({t(`source.${s.openedBy}`)})</span>
              </td>
              <td>{clock(s.firstMediaAt)}</td>
              <td>{clock(s.timedOutAt)}</td>
              <td>{clock(s.closedAt)}</td>
              <td>
                {clock(s.releasedAt)} {s.releaseConfirmedBy && <span className="text-slate-400">({t(`source.${s.releaseConfirmedBy}`, { defaultValue: s.releaseConfirmedBy })})</span>}
              </td>
              <td>{s.failure ? <span translate="no">{`ZLM ${s.failure.code}: ${s.failure.msg}`}</span> : s.endCause ? t(`endCause.${s.endCause}`, { defaultValue: s.endCause }) : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {sessions.length === 0 && <p className="py-2 text-xs text-slate-400">{t("sessions.none")}</p>}
    </section>
  );
}
