"use client";

import { useTranslation } from "react-i18next";
import { auditUrl, useAuditQuery } from "@/lib/queries/audit-query";
import { formatClock } from "@/lib/ui/format-time";
import { viewerZone } from "@/lib/ui/local-datetime";

export function AuditClient() {
  const { t } = useTranslation();
  const audit = useAuditQuery({});
  const rows = audit.data ?? [];
  return (
    <section className="space-y-3" aria-labelledby="audit-heading">
      <div className="flex items-center gap-3">
        <h1 id="audit-heading" className="text-lg font-semibold">
          {t("audit.title")}
        </h1>
        <a href={auditUrl({}, "csv")} className="rounded bg-slate-800 px-2 py-0.5 text-xs hover:bg-slate-700" data-testid="audit-export-csv" download>
          {t("audit.exportCsv")}
        </a>
        <a href={auditUrl({}, "json")} className="rounded bg-slate-800 px-2 py-0.5 text-xs hover:bg-slate-700" data-testid="audit-export-json" download>
          {t("audit.exportJson")}
        </a>
        <span className="text-xs text-slate-500">{t("events.zone", { zone: viewerZone() })}</span>
      </div>
      <p className="text-sm text-slate-400">{t("audit.explain")}</p>
      {audit.error && <p role="alert" className="text-red-300">{audit.error.message}</p>}
      {rows.length === 0 && !audit.isPending && <p className="text-sm text-slate-400">{t("audit.none")}</p>}
      <table className="w-full text-left text-xs" data-testid="audit-table">
        <thead className="text-slate-400">
          <tr>
            {(["time", "user", "role", "action", "node", "key", "port", "reason", "outcome", "zlm", "address", "agent"] as const).map((c) => (
              <th key={c}>{t(`audit.col.${c}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.eventId}-${r.actionId ?? ""}`} className={r.ok === false ? "text-amber-300" : ""} data-testid="audit-row">
              <td className="whitespace-nowrap">{formatClock(r.at, true)}</td>
              <td>{r.user ?? "—"}</td>
              <td>{r.role ? t(`auth.role.${r.role}`, { defaultValue: r.role }) : "—"}</td>
              <td>{r.what}</td>
              <td>{r.nodeId}</td>
              <td className="break-all">{r.key ?? ""}</td>
              <td>{r.port ?? ""}</td>
              <td>{r.reason ?? ""}</td>
              <td>{r.result ?? "…"}</td>
              <td>{r.zlm ?? ""}</td>
              <td>{r.clientAddress ?? ""}</td>
              <td className="max-w-48 truncate" title={r.userAgent ?? undefined}>
                {r.userAgent ?? ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
