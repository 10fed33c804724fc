"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNodesQuery } from "@/lib/queries/nodes-query";
import { useSessionsQuery } from "@/lib/queries/sessions-query";
import { useIncidentsQuery } from "@/lib/queries/incidents-query";
import { ratesByStream, useMediaRatesQuery } from "@/lib/queries/media-query";
import type { PortSession } from "@/lib/lifecycle/types";
import type { Incident } from "@/lib/lifecycle/incidents";
import { liveWallAt, wallAt, type WallEntry } from "@/lib/ui/wall-at";
import { searchMatcher } from "@/lib/api/session-filter";
import { sessionLiveness } from "@/lib/ui/session-liveness";
import { useNow } from "@/lib/ui/use-now";
import { viewerZone } from "@/lib/ui/local-datetime";
import { formatDateTime } from "@/lib/ui/format-time";
import { ActionDialog, type RtpAction } from "@/components/actions/action-dialog";
import { TimeTravel } from "./time-travel";
import { WallTable, type WallRowData } from "./wall-table";

type SortKey = "age" | "port" | "state" | "key" | "rate";
const SORTS: SortKey[] = ["age", "port", "state", "key", "rate"];

/**
 * The port wall: every RTP server per node, its state, receive rate and how
 * close it is to ZLM's timeout. `?at=<epoch ms>` shows the wall as it was at
 * that moment, rebuilt from the event log's sessions (time travel for support).
 * Live, it is the sessions query that SSE patches in place: no refetch per event.
 */
export function PortWall() {
  const { t, i18n } = useTranslation();
  const params = useSearchParams();
  const router = useRouter();
  const atParam = Number(params.get("at"));
  const at = params.get("at") && Number.isFinite(atParam) && atParam > 0 ? atParam : null;
  const now = useNow(1000, at === null);
  const moment = at ?? now;
  const node = params.get("node") ?? undefined;
  const filter = params.get("filter") ?? "";
  const sort: SortKey = SORTS.includes(params.get("sort") as SortKey) ? (params.get("sort") as SortKey) : "age";
  const set = (k: string, v: string | null) => {
    const next = new URLSearchParams(params.toString());
    if (v === null || v === "") next.delete(k);
    else next.set(k, v);
    router.replace(`/wall?${next.toString()}`, { scroll: false });
  };
  const [pending, setPending] = useState<{ session: PortSession; action: RtpAction } | null>(null);

  const nodes = useNodesQuery();
  const sessions = useSessionsQuery(at === null ? { node, live: true } : { node, from: at, to: at + 1 });
  const rates = useMediaRatesQuery({ node }, at === null);
  const incidents = useIncidentsQuery({ node });

  const search = useMemo(() => (filter ? searchMatcher(filter) : null), [filter]);
  const rows = useMemo((): WallRowData[] => {
    const timeoutSec = (nodeId: string) => nodes.data?.nodes.find((n) => n.id === nodeId)?.model?.timeoutSec ?? 15;
    const list = sessions.data?.sessions ?? [];
    const entries: WallEntry[] = at === null ? liveWallAt(list, moment) : wallAt(list, moment);
    const byStream = ratesByStream(rates.data);
    // One badge per incident (one per kind and key), with its count.
    const badges = new Map<string, Incident[]>();
    for (const a of incidents.data?.incidents ?? []) {
      const then = at === null ? a.state === "open" || a.state === "acknowledged" : a.firstSeenAt <= at && (a.active || (a.endedAt ?? a.lastSeenAt) >= at);
      if (then && a.key) badges.set(`${a.nodeId}|${a.key}`, [...(badges.get(`${a.nodeId}|${a.key}`) ?? []), a]);
    }
    const out = entries
      .filter((e) => !search || search(e.session))
      .map((e) => ({ ...e, limitMs: (timeoutSec(e.session.nodeId) + 3) * 1000, rate: byStream.get(`${e.session.nodeId}|${e.session.key}`) ?? null, liveness: sessionLiveness(e.session, nodes.data?.nodes), badges: badges.get(`${e.session.nodeId}|${e.session.key}`) ?? [] }));
    const by: Record<SortKey, (a: WallRowData, b: WallRowData) => number> = {
      age: (a, b) => b.ageMs - a.ageMs,
      port: (a, b) => (a.session.port ?? 0) - (b.session.port ?? 0),
      state: (a, b) => a.stateAt.localeCompare(b.stateAt),
      key: (a, b) => a.session.key.localeCompare(b.session.key),
      rate: (a, b) => (b.rate?.bytesSpeed ?? -1) - (a.rate?.bytesSpeed ?? -1),
    };
    return out.sort(by[sort]);
  }, [sessions.data, rates.data, incidents.data, nodes.data, moment, at, search, sort]);

  return (
    <section className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold">{t("wall.title")}</h1>
        <select aria-label={t("wall.node")} value={node ?? ""} onChange={(e) => set("node", e.target.value || null)} className="rounded bg-slate-800 px-1 text-sm">
          <option value="">{t("wall.allNodes")}</option>
          {nodes.data?.nodes.map((n) => (
            <option key={n.id} value={n.id} translate="no">
              {n.label}
            </option>
          ))}
        </select>
        <input aria-label={t("wall.filter")} placeholder={t("wall.filterPlaceholder")} defaultValue={filter} onChange={(e) => set("filter", e.target.value)} className="rounded border border-slate-700 bg-slate-900 px-2 py-0.5 text-sm" data-testid="wall-filter" />
        <select aria-label={t("wall.sort")} value={sort} onChange={(e) => set("sort", e.target.value)} className="rounded bg-slate-800 px-1 text-sm" data-testid="wall-sort">
          <option value="age">{t("wall.sortAge")}</option>
          <option value="port">{t("wall.sortPort")}</option>
          <option value="state">{t("wall.sortState")}</option>
          <option value="key">{t("wall.sortKey")}</option>
          <option value="rate">{t("wall.sortRate")}</option>
        </select>
        <TimeTravel at={at} now={now} onChange={(v) => set("at", v === null ? null : String(Math.round(v)))} />
        <span className="text-sm" data-testid="wall-time" data-live={at === null ? "1" : "0"}>
          {at === null ? <span className="text-emerald-300">{t("wall.live")}</span> : <span className="text-amber-300">{t("wall.asOf", { time: formatDateTime(at), zone: viewerZone() })}</span>} · {t("wall.servers", { count: rows.filter((r) => r.stateAt !== "released" && (at !== null || r.liveness.kind === "live")).length })}
        </span>
      </div>
      {sessions.error && (
        <p role="alert" className="text-red-300">
          {t("wall.error", { message: sessions.error.message })}
        </p>
      )}
      <WallTable rows={rows} past={at !== null} loading={sessions.isPending} onAction={(session, action) => setPending({ session, action })} />
      {!sessions.isPending && rows.length === 0 && <p className="text-slate-400">{at === null ? t("wall.emptyLive") : t("wall.emptyPast")}</p>}
      {pending && <ActionDialog action={pending.action} nodeId={pending.session.nodeId} rtpKey={pending.session.key} port={pending.session.port} tcpMode={pending.session.tcpMode} onClose={() => setPending(null)} />}
    </section>
  );
}
