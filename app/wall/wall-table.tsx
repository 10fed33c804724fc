"use client";

import Link from "next/link";
import { useTranslation } from "react-i18next";
import type { MediaRate } from "@/lib/ingest/media-rates";
import type { Incident } from "@/lib/lifecycle/incidents";
import { actionable, type SessionLiveness } from "@/lib/ui/session-liveness";
import { formatClock } from "@/lib/ui/format-time";
import { SEVERITY_STYLE } from "@/components/incidents/incident-list";
import type { WallEntry } from "@/lib/ui/wall-at";
import { STATE_STYLES } from "@/lib/ui/state-palette";
import { streamHref } from "@/lib/ui/links";
import { formatBitRate, formatBytesRate } from "@/lib/ui/format-rate";
import { ActionButtons, type RtpAction } from "@/components/actions/action-dialog";

export interface WallRowData extends WallEntry {
  limitMs: number;
  /** A live-looking server of a node not configured now, or unreachable, is not live (lib/ui/session-liveness). */
  liveness: SessionLiveness;
  rate: MediaRate | null;
  badges: Incident[];
}

/** The wall's rows; actions are handed up so a dialog outlives its row (released servers leave the wall). */
export function WallTable({ rows, past, loading, onAction }: { rows: WallRowData[]; past: boolean; loading: boolean; onAction: (session: WallEntry["session"], action: RtpAction) => void }) {
  const { t } = useTranslation();
  return (
    <table className="w-full text-left text-sm" data-testid="port-wall">
      <thead className="text-xs text-slate-400">
        <tr>
          <th>{t("wall.col.stream")}</th>
          <th>{t("wall.col.node")}</th>
          <th>{t("wall.col.port")}</th>
          <th>tcp_mode</th>
          <th>SSRC</th>
          <th>{t("wall.col.state")}</th>
          <th>{t("wall.col.rate")}</th>
          <th className="w-56">{t("wall.col.age")}</th>
          <th>{t("wall.col.anomalies")}</th>
          <th>{t("wall.col.actions")}</th>
        </tr>
      </thead>
      <tbody>
        {loading && rows.length === 0 && <SkeletonRows />}
        {rows.map((row) => (
          <WallRow key={row.session.id} row={row} past={past} onAction={onAction} />
        ))}
      </tbody>
    </table>
  );
}

function WallRow({ row, past, onAction }: { row: WallRowData; past: boolean; onAction: (session: WallEntry["session"], action: RtpAction) => void }) {
  const { t } = useTranslation();
  const { session: s, stateAt, ageMs, limitMs, rate, badges, liveness } = row;
  const fill = stateAt === "waiting" ? Math.min(1, ageMs / limitMs) : 0;
  const live = stateAt !== "released" && (past || actionable(liveness));
  const stale = !past && stateAt !== "released" && !actionable(liveness);
  return (
    <tr className={`border-t border-slate-800 ${stale ? "opacity-50" : ""}`} data-state={stateAt} data-liveness={past ? "past" : liveness.kind} data-key={s.key} data-node={s.nodeId} data-session-id={s.id} data-port={s.port ?? ""}>
      <td className="font-mono">
        <Link className="hover:underline" href={streamHref(s.key)}>
          {s.key.split("/").slice(2).join("/")}
        </Link>
      </td>
      <td>{s.nodeId}</td>
      <td>{s.port === null ? "—" : <Link className="hover:underline" href={`/ports/${encodeURIComponent(s.nodeId)}/${s.port}`}>{s.port}</Link>}</td>
      <td>{s.tcpMode ?? "—"}</td>
      <td className="font-mono text-xs">{s.ssrc === null ? "—" : `${s.ssrc} (0x${s.ssrc.toString(16)})`}</td>
      <td>
        <span className="mr-1 inline-block h-2 w-2 rounded-full" style={{ background: STATE_STYLES[stateAt].hex }} />
        {t(`state.${stateAt}`)}
        {stale && <span className="block text-xs text-slate-400" data-testid="wall-stale">{liveness.kind === "history" ? t("wall.history") : t("wall.unknownSince", { time: liveness.kind === "unknown" && liveness.since ? formatClock(liveness.since) : "—" })}</span>}
      </td>
      <td className="whitespace-nowrap font-mono text-xs" data-testid="wall-rate" data-bytes-speed={rate?.bytesSpeed ?? ""} title={past ? t("wall.rateUnknownPast") : rate ? t("wall.rateTitle", { bits: formatBitRate(rate.bytesSpeed) }) : undefined}>
        {past || !rate || !live ? "—" : (
          <>
            {formatBytesRate(rate.bytesSpeed)} <span className="text-slate-500">{formatBitRate(rate.bytesSpeed)}</span>
          </>
        )}
      </td>
      <td>
        <div className="flex items-center gap-2" title={t("wall.ageOfLimit", { age: Math.round(ageMs / 1000), limit: limitMs / 1000 })}>
          <div className="h-2 w-32 rounded bg-slate-800">
            <div className="h-2 rounded" style={{ width: `${fill * 100}%`, background: fill >= 1 ? STATE_STYLES.timed_out.hex : STATE_STYLES.waiting.hex }} />
          </div>
          <span className="text-xs text-slate-400">{t("wall.seconds", { n: Math.round(ageMs / 1000) })}</span>
        </div>
      </td>
      <td>
        <div className="flex flex-wrap gap-1" data-testid="wall-badges">
          {badges.map((b) => (
            <span key={b.id} data-type={b.type} data-severity={b.severity} title={t(`incidentHelp.${b.type}.meaning`)} className={`rounded border px-1.5 text-xs ${SEVERITY_STYLE[b.severity]}`}>
              {t(`anomalyType.${b.type}`)} ×{b.count}
            </span>
          ))}
        </div>
      </td>
      <td className="whitespace-nowrap">
        {live && (
          <div className="flex gap-1">
            <ActionButtons compact nodeId={s.nodeId} rtpKey={s.key} disabled={past} disabledReason={t("wall.actionsDisabled")} onOpen={(a) => onAction(s, a)} />
          </div>
        )}
      </td>
    </tr>
  );
}

function SkeletonRows() {
  return (
    <>
      {[0, 1, 2, 3, 4].map((i) => (
        <tr key={i} className="border-t border-slate-800" aria-hidden data-testid="wall-skeleton">
          <td colSpan={10}>
            <div className="my-1.5 h-4 animate-pulse rounded bg-slate-800/70" />
          </td>
        </tr>
      ))}
    </>
  );
}
