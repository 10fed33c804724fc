"use client";

import Link from "next/link";
import { useRef } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useTranslation } from "react-i18next";
import type { MediaRate } from "@/lib/ingest/media-rates";
import type { Incident } from "@/lib/lifecycle/incidents";
import { actionable, type SessionLiveness } from "@/lib/ui/session-liveness";
import { formatClock, formatSpan } from "@/lib/ui/format-time";

/** Every cell clips to its column: nothing runs into the next one. */
const cell = "truncate px-2";
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

/** The wall's columns: fixed widths (table-layout: fixed), so a column's cells line up under its header whatever they hold. */
const COLUMNS = [
  { id: "stream", width: "12rem" },
  { id: "node", width: "7rem" },
  { id: "port", width: "4.5rem" },
  { id: "tcp_mode", width: "5.5rem" },
  { id: "ssrc", width: "11rem" },
  { id: "state", width: "9.5rem" },
  { id: "rate", width: "11.5rem" },
  { id: "age", width: "10rem" },
  { id: "anomalies", width: "auto" },
  { id: "actions", width: "10.5rem" },
] as const;
const ROW_PX = 33;

/**
 * The wall's rows, virtualised (TanStack Virtual): only the rows in view are
 * in the DOM, so 10,000 servers scroll like 20. The header sticks to the top
 * of the scroll box. Actions are handed up so a dialog outlives its row
 * (released servers leave the wall).
 */
export function WallTable({ rows, past, loading, onAction }: { rows: WallRowData[]; past: boolean; loading: boolean; onAction: (session: WallEntry["session"], action: RtpAction) => void }) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_PX, overscan: 12, getItemKey: (i) => rows[i].session.id });
  const items = virtual.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = items.length > 0 ? virtual.getTotalSize() - items[items.length - 1].end : 0;
  const header: Record<(typeof COLUMNS)[number]["id"], string> = {
    stream: t("wall.col.stream"),
    node: t("wall.col.node"),
    port: t("wall.col.port"),
    tcp_mode: "tcp_mode",
    ssrc: "SSRC",
    state: t("wall.col.state"),
    rate: t("wall.col.rate"),
    age: t("wall.col.age"),
    anomalies: t("wall.col.anomalies"),
    actions: t("wall.col.actions"),
  };
  return (
    <div ref={scroller} className="max-h-[calc(100vh-9rem)] overflow-auto rounded border border-slate-800" data-testid="wall-scroll">
      <table className="w-full min-w-[90rem] table-fixed text-left text-sm tabular-nums" data-testid="port-wall" data-rows={rows.length}>
        <colgroup>
          {COLUMNS.map((c) => (
            <col key={c.id} style={c.width === "auto" ? undefined : { width: c.width }} />
          ))}
        </colgroup>
        <thead className="sticky top-0 z-10 bg-slate-950 text-xs text-slate-300">
          <tr>
            {COLUMNS.map((c) => (
              <th key={c.id} scope="col" className="truncate px-2 py-1.5 font-semibold" data-col={c.id}>
                {header[c.id]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {loading && rows.length === 0 && <SkeletonRows />}
          {top > 0 && <tr aria-hidden style={{ height: top }} />}
          {items.map((item) => (
            <WallRow key={item.key} row={rows[item.index]} past={past} onAction={onAction} />
          ))}
          {bottom > 0 && <tr aria-hidden style={{ height: bottom }} />}
        </tbody>
      </table>
    </div>
  );
}

function WallRow({ row, past, onAction }: { row: WallRowData; past: boolean; onAction: (session: WallEntry["session"], action: RtpAction) => void }) {
  const { t } = useTranslation();
  const { session: s, stateAt, ageMs, limitMs, rate, badges, liveness } = row;
  const fill = stateAt === "waiting" ? Math.min(1, ageMs / limitMs) : 0;
  const live = stateAt !== "released" && (past || actionable(liveness));
  const stale = !past && stateAt !== "released" && !actionable(liveness);
  const staleText = liveness.kind === "history" ? t("wall.history") : t("wall.unknownSince", { time: liveness.kind === "unknown" && liveness.since ? formatClock(liveness.since) : "—" });
  return (
    <tr className={`h-[33px] border-t border-slate-800 ${stale ? "opacity-60" : ""}`} data-state={stateAt} data-liveness={past ? "past" : liveness.kind} data-key={s.key} data-node={s.nodeId} data-session-id={s.id} data-port={s.port ?? ""}>
      <td className={`${cell} font-mono`} translate="no" data-col="stream">
        <Link className="hover:underline" href={streamHref(s.key)} title={s.key}>
          {s.key.split("/").slice(2).join("/")}
        </Link>
      </td>
      <td className={cell} translate="no" data-col="node" title={s.nodeId}>
        {s.nodeId}
      </td>
      <td className={`${cell} font-mono`} data-col="port">
        {s.port === null ? "—" : <Link className="hover:underline" href={`/ports/${encodeURIComponent(s.nodeId)}/${s.port}`}>{s.port}</Link>}
      </td>
      <td className={`${cell} font-mono`} data-col="tcp_mode">
        {s.tcpMode ?? "—"}
      </td>
      <td className={`${cell} font-mono text-xs`} translate="no" data-col="ssrc" title={s.ssrc === null ? undefined : `${s.ssrc} (0x${s.ssrc.toString(16)})`}>
        {s.ssrc === null ? "—" : `${s.ssrc} (0x${s.ssrc.toString(16)})`}
      </td>
      <td className={cell} data-col="state" title={stale ? staleText : undefined}>
        <span className="mr-1 inline-block h-2 w-2 rounded-full" style={{ background: STATE_STYLES[stateAt].hex }} />
        {t(`state.${stateAt}`)}
        {stale && (
          <span className="ml-1 text-xs text-slate-300" data-testid="wall-stale">
            {staleText}
          </span>
        )}
      </td>
      <td className={`${cell} font-mono text-xs`} data-col="rate" data-testid="wall-rate" data-bytes-speed={rate?.bytesSpeed ?? ""} title={past ? t("wall.rateUnknownPast") : rate ? t("wall.rateTitle", { bits: formatBitRate(rate.bytesSpeed) }) : undefined}>
        {past || !rate || !live ? "—" : (
          <>
            {formatBytesRate(rate.bytesSpeed)} <span className="text-slate-400">{formatBitRate(rate.bytesSpeed)}</span>
          </>
        )}
      </td>
      <td className={cell} data-col="age">
        <div className="flex items-center gap-2" title={t("wall.ageOfLimit", { age: formatSpan(ageMs), limit: formatSpan(limitMs) })}>
          <div className="h-2 w-16 shrink-0 rounded bg-slate-800">
            <div className="h-2 rounded" style={{ width: `${fill * 100}%`, background: fill >= 1 ? STATE_STYLES.timed_out.hex : STATE_STYLES.waiting.hex }} />
          </div>
          <span className="text-xs text-slate-300">{formatSpan(ageMs)}</span>
        </div>
      </td>
      <td className={cell} data-col="anomalies">
        <div className="flex gap-1 overflow-hidden" data-testid="wall-badges">
          {badgesByKind(badges).map((b) => (
            <span key={b.type} data-type={b.type} data-severity={b.severity} data-count={b.count} title={t(`incidentHelp.${b.type}.meaning`)} className={`shrink-0 rounded border px-1.5 text-xs ${SEVERITY_STYLE[b.severity]}`}>
              {t(`anomalyType.${b.type}`)} ×{b.count}
            </span>
          ))}
        </div>
      </td>
      <td className={cell} data-col="actions">
        {live && (
          <div className="flex gap-1">
            <ActionButtons compact nodeId={s.nodeId} rtpKey={s.key} disabled={past} disabledReason={t("wall.actionsDisabled")} onOpen={(a) => onAction(s, a)} />
          </div>
        )}
      </td>
    </tr>
  );
}

/** One badge per incident kind on a row, its count the sum of that kind's incidents (several ports of one key, say). */
function badgesByKind(badges: Incident[]): { type: Incident["type"]; severity: Incident["severity"]; count: number }[] {
  const byType = new Map<Incident["type"], { type: Incident["type"]; severity: Incident["severity"]; count: number }>();
  for (const b of badges) {
    const seen = byType.get(b.type);
    byType.set(b.type, { type: b.type, severity: b.severity, count: (seen?.count ?? 0) + b.count });
  }
  return [...byType.values()];
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
