"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useMemo } from "react";
import { useNodesQuery } from "@/lib/queries/nodes-query";
import { useAnomaliesQuery, useSessionsQuery } from "@/lib/queries/sessions-query";
import { wallAt, type WallEntry } from "@/lib/ui/wall-at";
import { STATE_STYLES } from "@/lib/ui/state-palette";
import { useNow } from "@/lib/ui/use-now";
import { streamHref } from "@/lib/ui/links";

const DAY = 86_400_000;
type SortKey = "age" | "port" | "state" | "key";

/**
 * The port wall: every RTP server per node, its state and how close it is to
 * ZLM's timeout. `?at=<epoch ms>` shows the wall as it was at that moment,
 * rebuilt from the event log's sessions (time travel for support).
 */
export function PortWall() {
  const params = useSearchParams();
  const router = useRouter();
  const at = params.get("at") ? Number(params.get("at")) : null;
  const now = useNow(1000, at === null);
  const t = at ?? now;
  const node = params.get("node") ?? undefined;
  const filter = params.get("filter") ?? "";
  const sort = (params.get("sort") as SortKey) || "age";
  const set = (k: string, v: string | null) => {
    const next = new URLSearchParams(params.toString());
    if (v === null || v === "") next.delete(k);
    else next.set(k, v);
    router.replace(`/wall?${next.toString()}`, { scroll: false });
  };

  const nodes = useNodesQuery();
  const sessions = useSessionsQuery({ node, from: t - DAY, limit: 1000 });
  const anomalies = useAnomaliesQuery(node);
  const timeoutSec = (nodeId: string) => nodes.data?.nodes.find((n) => n.id === nodeId)?.model?.timeoutSec ?? 15;

  const entries = useMemo(() => {
    const list = wallAt(sessions.data?.sessions ?? [], t).filter((e) => !filter || e.session.key.includes(filter) || String(e.session.port) === filter);
    const by: Record<SortKey, (a: WallEntry, b: WallEntry) => number> = {
      age: (a, b) => b.ageMs - a.ageMs,
      port: (a, b) => (a.session.port ?? 0) - (b.session.port ?? 0),
      state: (a, b) => a.stateAt.localeCompare(b.stateAt),
      key: (a, b) => a.session.key.localeCompare(b.session.key),
    };
    return list.sort(by[sort] ?? by.age);
  }, [sessions.data, t, filter, sort]);
  const badges = new Map<string, string[]>();
  for (const a of anomalies.data?.anomalies ?? []) if (a.active && a.key) badges.set(a.key, [...(badges.get(a.key) ?? []), a.type]);

  return (
    <section className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold">Port wall</h1>
        <select aria-label="Node" value={node ?? ""} onChange={(e) => set("node", e.target.value || null)} className="rounded bg-slate-800 px-1 text-sm">
          <option value="">all nodes</option>
          {nodes.data?.nodes.map((n) => (
            <option key={n.id} value={n.id}>
              {n.label}
            </option>
          ))}
        </select>
        <input aria-label="Filter" placeholder="filter key or port" defaultValue={filter} onChange={(e) => set("filter", e.target.value)} className="rounded border border-slate-700 bg-slate-900 px-2 py-0.5 text-sm" />
        <select aria-label="Sort" value={sort} onChange={(e) => set("sort", e.target.value)} className="rounded bg-slate-800 px-1 text-sm">
          <option value="age">oldest first</option>
          <option value="port">port</option>
          <option value="state">state</option>
          <option value="key">stream</option>
        </select>
        <label className="flex items-center gap-2 text-sm">
          time travel
          <input
            type="range"
            aria-label="Time travel"
            min={-DAY}
            max={0}
            step={1000}
            value={at === null ? 0 : Math.max(-DAY, at - now)}
            onChange={(e) => set("at", Number(e.target.value) === 0 ? null : String(Date.now() + Number(e.target.value)))}
            data-testid="time-travel"
          />
        </label>
        <span className="text-sm" data-testid="wall-time">
          {at === null ? <span className="text-emerald-300">live</span> : <span className="text-amber-300">as of {new Date(at).toLocaleString()}</span>} · {entries.length} servers
        </span>
      </div>
      <table className="w-full text-left text-sm" data-testid="port-wall">
        <thead className="text-xs text-slate-400">
          <tr>
            <th>Stream</th>
            <th>Node</th>
            <th>Port</th>
            <th>TCP</th>
            <th>SSRC</th>
            <th>State</th>
            <th className="w-64">Age vs timeout</th>
            <th>Anomalies</th>
          </tr>
        </thead>
        <tbody>
          {entries.map(({ session: s, stateAt, ageMs }) => {
            const limit = (timeoutSec(s.nodeId) + 3) * 1000;
            const fill = stateAt === "waiting" ? Math.min(1, ageMs / limit) : 0;
            return (
              <tr key={s.id} className="border-t border-slate-800" data-state={stateAt}>
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
                  {STATE_STYLES[stateAt].label}
                </td>
                <td>
                  <div className="flex items-center gap-2">
                    <div className="h-2 w-40 rounded bg-slate-800" title={`${Math.round(ageMs / 1000)} s of ${limit / 1000} s`}>
                      <div className="h-2 rounded" style={{ width: `${fill * 100}%`, background: fill >= 1 ? "#d55e00" : "#e69f00" }} />
                    </div>
                    <span className="text-xs text-slate-400">{Math.round(ageMs / 1000)} s</span>
                  </div>
                </td>
                <td className="text-xs text-amber-300">{(badges.get(s.key) ?? []).join(", ")}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {entries.length === 0 && <p className="text-slate-400">No RTP server {at === null ? "right now" : "at that moment"}.</p>}
    </section>
  );
}
