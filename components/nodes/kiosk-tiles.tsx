"use client";

import { useTranslation } from "react-i18next";
import type { NodeStatus } from "@/lib/nodes/types";
import { SEVERITY_ORDER, type Incident } from "@/lib/lifecycle/incidents";
import { SEVERITY_STYLE } from "@/components/incidents/incident-list";
import { formatNumber } from "@/lib/ui/format-time";

const STATE_STYLE: Record<NodeStatus["reachability"], string> = {
  online: "bg-emerald-900 text-emerald-100",
  offline: "bg-red-800 text-white",
  checking: "bg-slate-800 text-slate-200",
};

/**
 * The wall screen's nodes: one tile each, readable from across the room —
 * state, ports in use of the pool, open incidents by severity. The node the
 * rotation shows is outlined; every node stays on screen.
 */
export function KioskTiles({ nodes, incidents, current }: { nodes: NodeStatus[]; incidents: Incident[]; current: string | undefined }) {
  const { t } = useTranslation();
  return (
    <ul aria-label={t("kiosk.tiles")} className="grid gap-3 [grid-template-columns:repeat(auto-fit,minmax(18rem,1fr))]" data-testid="kiosk-tiles">
      {nodes.map((n) => {
        const used = n.liveSessions ?? 0;
        const pool = n.poolCapacity ?? null;
        const open = incidents.filter((i) => i.nodeId === n.id && i.state !== "resolved");
        return (
          <li key={n.id} className={`rounded-lg border-2 bg-slate-900 p-3 ${current === n.id ? "border-sky-400" : "border-slate-800"}`} data-testid="kiosk-tile" data-node={n.id} data-reachability={n.reachability}>
            <div className="flex items-baseline justify-between gap-2">
              <span className="truncate text-xl font-semibold" translate="no">
                {n.label}
              </span>
              <span className={`rounded px-2 text-lg font-semibold ${STATE_STYLE[n.reachability]}`}>{t(`nodeCard.${n.reachability}`)}</span>
            </div>
            <div className="mt-2 flex items-baseline gap-2 tabular-nums" data-testid="kiosk-ports">
              <span className="text-4xl font-semibold">{formatNumber(used)}</span>
              {pool !== null && <span className="text-xl text-slate-300">{t("kiosk.ofPool", { pool: formatNumber(pool) })}</span>}
              <span className="text-base text-slate-300">{t("kiosk.ports")}</span>
            </div>
            {pool !== null && (
              <div className="mt-1 h-2 rounded bg-slate-800" aria-hidden>
                <div className="h-2 rounded bg-sky-500" style={{ width: `${Math.min(100, (used / pool) * 100)}%` }} />
              </div>
            )}
            <div className="mt-2 flex flex-wrap gap-2 text-lg" data-testid="kiosk-severity">
              {open.length === 0 && <span className="text-slate-300">{t("kiosk.noIncidents")}</span>}
              {SEVERITY_ORDER.map((sev) => {
                const count = open.filter((i) => i.severity === sev).length;
                return count > 0 ? (
                  <span key={sev} className={`rounded border px-2 tabular-nums ${SEVERITY_STYLE[sev]}`} data-severity={sev} data-count={count}>
                    {t(`severity.${sev}`)} {count}
                  </span>
                ) : null;
              })}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
