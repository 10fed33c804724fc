"use client";

import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { LifecycleTimeline, TimelineLegend } from "@/components/timeline/lifecycle-timeline";
import { EventTable } from "@/components/activity/event-table";
import { ActionButtons } from "@/components/actions/action-dialog";
import { actionable, sessionLiveness } from "@/lib/ui/session-liveness";
import { useNodesQuery } from "@/lib/queries/nodes-query";
import { SessionTable } from "@/components/activity/session-table";
import { useLogQuery, useSessionsQuery } from "@/lib/queries/sessions-query";
import { useIncidentsQuery } from "@/lib/queries/incidents-query";
import { useNow } from "@/lib/ui/use-now";
import { LIVE_STATES } from "@/lib/lifecycle/types";
import { RangeControls } from "./range-controls";
import { RateChart } from "./rate-chart";
import { RelatedIncidents } from "./related-incidents";
import { useInvestigationView } from "./use-investigation-view";
import { VerdictList } from "./verdict-list";

export interface InvestigationTarget {
  /** `vhost/app/stream_id`, for a stream's history. */
  key?: string;
  /** Node and port, for a port's history (every stream that held it). */
  node?: string;
  port?: number;
}

/** The log API answers at most this many events per request (fetchLog's limit). */
const LOG_LIMIT = 5000;

/**
 * One stream's or one port's whole story: timeline, "already exists" verdicts,
 * anomalies with evidence, sessions, events, export, actions. Every view choice
 * (session, kind, range, opened event) is in the URL, so a link reproduces it.
 */
export function Investigation({ target }: { target: InvestigationTarget }) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const [view, update] = useInvestigationView();
  const rtpKey = target.key ?? "";
  const range = { from: view.from ?? undefined, to: view.to ?? undefined };
  const sessions = useSessionsQuery({ key: target.key, node: target.node, port: target.port, limit: 1000, ...range });
  const log = useLogQuery({ key: target.key, node: target.node, port: target.port, ...range });
  const incidents = useIncidentsQuery(target.key ? { key: target.key } : { node: target.node });
  const list = sessions.data?.sessions ?? [];
  const events = log.data?.events ?? [];
  const shownEvents = view.kind ? events.filter((e) => e.kind === view.kind) : events;
  const kindsPresent = useMemo(() => new Set(events.map((e) => e.kind)), [events]);
  const first = list.reduce((m, s) => Math.min(m, s.openedAt), now);
  const from = view.from ?? Math.min(first - 5000, now - 5 * 60e3);
  const to = view.to ?? now;
  const rows = useMemo(
    () =>
      list.map((s) => ({
        id: s.id,
        label: target.key ? t("investigation.rowPort", { port: s.port ?? "?" }) : s.key.split("/").slice(2).join("/"),
        sublabel: t("investigation.rowSublabel", { node: s.nodeId, source: t(`source.${s.openedBy}`) }),
        sessions: [s],
      })),
    [list, target.key, t],
  );
  const related = (incidents.data?.incidents ?? []).filter((a) => (target.key ? a.key === target.key : a.nodeId === target.node && a.port === target.port));
  const exportParams = Object.entries({ key: target.key, node: target.node, port: target.port?.toString(), kind: view.kind ?? undefined, from: view.from?.toString(), to: view.to?.toString() }).filter((e): e is [string, string] => !!e[1]);
  const exportBase = `/api/log?${new URLSearchParams(exportParams).toString()}&limit=10000`;
  const title = target.key ? rtpKey.split("/").slice(2).join("/") : t("investigation.portTitle", { port: target.port, node: target.node });
  const selected = view.session ? list.find((s) => s.id === view.session) ?? null : null;
  // Actions act on the selected session when it is live, else on the newest live one (a key may live on two nodes).
  const holder = (selected && LIVE_STATES.has(selected.state) ? selected : null) ?? list.find((s) => LIVE_STATES.has(s.state)) ?? list[0];
  const showEvent = (id: number) => update({ event: id, kind: null });
  const loading = sessions.isPending || log.isPending;
  const nodes = useNodesQuery();
  const holderLiveness = holder ? sessionLiveness(holder, nodes.data?.nodes) : { kind: "ended" as const };
  // A port page charts the stream that holds the port now.
  const rateKey = target.key ?? (holder && LIVE_STATES.has(holder.state) ? holder.key : null);
  const error = sessions.error ?? log.error;

  return (
    <div className="space-y-4" data-testid={target.key ? "stream-page" : "port-page"} data-key={rtpKey}>
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="font-mono text-xl font-semibold">{title}</h1>
        <span className="text-sm text-slate-400">{target.key ?? t("investigation.portSubtitle")}</span>
        <div className="ml-auto flex gap-2 text-sm">
          {holder && (
            <>
              <span className="self-center text-xs text-slate-400" data-testid="action-target">
                {t("investigation.actionTarget", { node: holder.nodeId, port: holder.port ?? "?" })}
              </span>
              <ActionButtons nodeId={holder.nodeId} rtpKey={holder.key} disabled={!actionable(holderLiveness)} disabledReason={holderLiveness.kind === "history" ? t("wall.history") : t("wall.unknownSince", { time: "—" })} />
            </>
          )}
          <a className="rounded bg-slate-800 px-2 py-1 hover:bg-slate-700" href={`${exportBase}&format=csv`} download data-testid="export-csv">
            {t("investigation.exportCsv")}
          </a>
          <a className="rounded bg-slate-800 px-2 py-1 hover:bg-slate-700" href={`${exportBase}&format=ndjson`} download data-testid="export-ndjson">
            {t("investigation.exportNdjson")}
          </a>
        </div>
      </div>
      <RangeControls view={view} update={update} kindsPresent={kindsPresent} />
      {error && (
        <p role="alert" className="text-red-300">
          {t("investigation.error", { message: error.message })}
        </p>
      )}
      {loading ? (
        <div className="space-y-2" role="status" data-testid="investigation-loading">
          <p className="text-sm text-slate-400">{t("investigation.loading")}</p>
          <div aria-hidden className="h-40 animate-pulse rounded bg-slate-800/70" />
          <div aria-hidden className="h-24 animate-pulse rounded bg-slate-800/70" />
        </div>
      ) : (
        <>
          {list.length === 0 && events.length === 0 && (
            <p className="rounded border border-slate-800 p-3 text-sm text-slate-400" data-testid="investigation-empty">
              {target.key ? t("investigation.empty") : t("investigation.emptyPort")}
            </p>
          )}
          {rows.length > 0 && (
            <>
              <TimelineLegend />
              <LifecycleTimeline rows={rows} from={from} to={to} now={now} height={Math.min(400, 40 + rows.length * 26)} onSelect={(s) => update({ session: s.id })} />
            </>
          )}
          {rateKey && <RateChart rtpKey={rateKey} node={target.node} />}
          <VerdictList events={events} onShowEvent={showEvent} />
          <RelatedIncidents incidents={related} onShowEvent={showEvent} />
          <SessionTable sessions={list} selected={view.session} onSelect={(id) => update({ session: id })} />
          <EventTable events={shownEvents} highlightSession={selected} openId={view.event} onToggle={(id) => update({ event: id })} truncated={events.length >= LOG_LIMIT} />
        </>
      )}
    </div>
  );
}
