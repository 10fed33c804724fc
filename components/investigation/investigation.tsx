"use client";

import { useMemo, useState } from "react";
import { LifecycleTimeline, TimelineLegend } from "@/components/timeline/lifecycle-timeline";
import { EventTable } from "@/components/activity/event-table";
import { ActionButtons } from "@/components/actions/action-dialog";
import { SessionTable } from "@/components/activity/session-table";
import { useAnomaliesQuery, useLogQuery, useSessionsQuery } from "@/lib/queries/sessions-query";
import { timelineRows } from "@/lib/ui/session-bands";
import { useNow } from "@/lib/ui/use-now";

export interface InvestigationTarget {
  /** `vhost/app/stream_id`, for a stream's history. */
  key?: string;
  /** Node and port, for a port's history (every stream that held it). */
  node?: string;
  port?: number;
}

/** One stream's or one port's whole story: timeline, anomalies, sessions, events, export. */
export function Investigation({ target }: { target: InvestigationTarget }) {
  const now = useNow(1000);
  const rtpKey = target.key ?? "";
  const sessions = useSessionsQuery({ key: target.key, node: target.node, port: target.port, limit: 1000 });
  const log = useLogQuery({ key: target.key, node: target.node, port: target.port });
  const anomalies = useAnomaliesQuery();
  const [selected, setSelected] = useState<string | null>(null);
  const list = sessions.data?.sessions ?? [];
  const first = list.reduce((m, s) => Math.min(m, s.openedAt), now);
  const from = Math.min(first - 5000, now - 5 * 60e3);
  const rows = useMemo(() => timelineRows(list, "key").flatMap((r) => r.sessions.map((s) => ({ id: s.id, label: target.key ? `port ${s.port ?? "?"}` : s.key.split("/").slice(2).join("/"), sublabel: `${s.nodeId} · opened by ${s.openedBy}`, sessions: [s] }))), [list, target.key]);
  const related = (anomalies.data?.anomalies ?? []).filter((a) => (target.key ? a.key === target.key : a.nodeId === target.node && a.port === target.port));
  const exportBase = `/api/log?${new URLSearchParams(Object.entries({ key: target.key, node: target.node, port: target.port?.toString() }).filter((e): e is [string, string] => !!e[1])).toString()}&limit=10000`;
  const title = target.key ? rtpKey.split("/").slice(2).join("/") : `port ${target.port} on ${target.node}`;

  return (
    <div className="space-y-4" data-testid={target.key ? "stream-page" : "port-page"} data-key={rtpKey}>
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="font-mono text-xl font-semibold">{title}</h1>
        <span className="text-sm text-slate-400">{target.key ?? "every stream that held this port"}</span>
        <div className="ml-auto flex gap-2 text-sm">
          {list[0] && <ActionButtons nodeId={list[0].nodeId} rtpKey={list[0].key} />}
          <a className="rounded bg-slate-800 px-2 py-1 hover:bg-slate-700" href={`${exportBase}&format=csv`} download data-testid="export-csv">
            Export CSV
          </a>
          <a className="rounded bg-slate-800 px-2 py-1 hover:bg-slate-700" href={`${exportBase}&format=ndjson`} download data-testid="export-ndjson">
            Export NDJSON
          </a>
        </div>
      </div>
      <TimelineLegend />
      <LifecycleTimeline rows={rows} from={from} to={now} now={now} height={Math.min(400, 40 + rows.length * 26)} onSelect={(s) => setSelected(s.id)} />
      {related.length > 0 && (
        <ul className="space-y-1 text-sm" data-testid="stream-anomalies">
          {related.map((a) => (
            <li key={a.id} className="rounded bg-amber-950 p-2 text-amber-200">
              {a.detail} <span className="text-amber-400">(×{a.count})</span>
            </li>
          ))}
        </ul>
      )}
      <SessionTable sessions={list} selected={selected} onSelect={setSelected} />
      <EventTable events={log.data?.events ?? []} highlightSession={selected ? list.find((s) => s.id === selected) ?? null : null} />
    </div>
  );
}
