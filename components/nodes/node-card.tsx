"use client";

import { useTranslation } from "react-i18next";
import type { NodeStatus } from "@/lib/nodes/types";
import { hookFreshness, type HookFreshness } from "@/lib/nodes/node-health";
import { formatClock, formatDateTime, formatSpan } from "@/lib/ui/format-time";
import { useNow } from "@/lib/ui/use-now";

const BADGE: Record<NodeStatus["reachability"], string> = {
  online: "bg-emerald-900 text-emerald-200",
  offline: "bg-red-900 text-red-100",
  checking: "bg-slate-800 text-slate-300",
};
const FRESHNESS: Record<HookFreshness, string> = { fresh: "text-emerald-300", late: "text-amber-300", silent: "text-red-300", never: "text-red-300" };

/** One node at a glance: reachable or not, which ZLM, how long up, whether its hooks arrive, poll latency, port pool use. */
export function NodeCard({ node, selected = false, onSelect }: { node: NodeStatus; selected?: boolean; onSelect?: () => void }) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const m = node.model ?? null;
  const freshness = hookFreshness(m?.lastHookAt, now, node.poll?.aliveIntervalSec);
  const live = node.liveSessions ?? 0;
  const pool = node.poolCapacity ?? null;
  const poolShare = pool ? live / pool : null;
  return (
    <article
      className={`rounded-lg border bg-slate-900 p-4 ${selected ? "border-sky-500" : "border-slate-800"}`}
      data-testid={`node-${node.id}`}
      data-reachability={node.reachability}
      data-hook-freshness={freshness}
      aria-labelledby={`node-title-${node.id}`}
    >
      <div className="flex items-center justify-between gap-2">
        <h2 className="font-medium" translate="no" id={`node-title-${node.id}`}>
          {onSelect ? (
            <button type="button" className="hover:underline" onClick={onSelect} aria-pressed={selected}>
              {node.label}
            </button>
          ) : (
            node.label
          )}
        </h2>
        <span data-testid="node-state" className={`rounded px-2 py-0.5 text-xs font-semibold ${node.hooksOnly ? "bg-amber-900 text-amber-100" : BADGE[node.reachability]}`} title={node.hooksOnly ? t("nodeCard.hooksOnlyTitle") : undefined}>
          {node.hooksOnly ? t("nodeCard.hooksOnly") : t(`nodeCard.${node.reachability}`)}
        </span>
      </div>
      <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="text-slate-400">{t("nodeCard.node")}</dt>
        <dd>
          {node.id}
          {node.mode === "demo" && <span className="ml-2 text-xs text-amber-300">{t("nodeCard.demo")}</span>}
        </dd>
        <dt className="text-slate-400">URL</dt>
        <dd className="truncate font-mono text-xs leading-5" translate="no">
          {node.url}
        </dd>
        {node.version && (
          <>
            <dt className="text-slate-400">{t("nodeCard.version")}</dt>
            <dd data-testid="node-version" className="font-mono text-xs leading-5" translate="no">
              {node.version.commitHash} · {node.version.branchName} · {t("nodeCard.built", { time: node.version.buildTime })}
            </dd>
          </>
        )}
        <dt className="text-slate-400">{t("nodeCard.up")}</dt>
        <dd data-testid="node-uptime" title={m?.startedAt ? formatDateTime(m.startedAt) : undefined}>
          {m?.startedAt ? t("nodeCard.upFor", { span: formatSpan(now - m.startedAt), since: formatClock(m.startedAt) }) : t("nodeCard.noStartSeen")}
        </dd>
        <dt className="text-slate-400">{t("nodeCard.lastHook")}</dt>
        <dd data-testid="node-hook-freshness" className={FRESHNESS[freshness]}>
          {m?.lastHookAt ? t(`nodeCard.hook.${freshness}`, { ago: formatSpan(now - m.lastHookAt) }) : t("nodeCard.hook.never")}
        </dd>
        <dt className="text-slate-400">{t("nodeCard.poll")}</dt>
        <dd data-testid="node-poll">
          {node.latencyMs !== null ? t("nodeCard.pollOk", { ms: node.latencyMs, ago: formatSpan(node.checkedAt ? now - node.checkedAt : null) }) : node.poll?.consecutiveFailures ? t("nodeCard.pollFailing", { count: node.poll.consecutiveFailures }) : "—"}
        </dd>
        <dt className="text-slate-400">{t("nodeCard.servers")}</dt>
        <dd data-testid="node-pool">
          <div className="flex items-center gap-2">
            <span>
              {live}
              {pool ? ` / ${pool}` : ""}
            </span>
            {poolShare !== null && (
              <span className="h-1.5 w-24 rounded bg-slate-800" title={t("nodeCard.poolTitle", { pct: (poolShare * 100).toFixed(1) })}>
                <span className="block h-1.5 rounded" style={{ width: `${Math.min(100, Math.max(poolShare > 0 ? 2 : 0, poolShare * 100))}%`, background: poolShare > 0.8 ? "var(--state-timeout)" : "var(--state-receiving)" }} />
              </span>
            )}
            {m && <span className="text-xs text-slate-400">timeoutSec {m.timeoutSec}</span>}
          </div>
        </dd>
      </dl>
      {node.ephemeralOverlap && m?.portRange && (
        <p className="mt-3 rounded bg-amber-950 p-2 text-xs text-amber-100" data-testid="node-port-range-advice" title={t("nodeCard.ephemeralTitle")}>
          {t("nodeCard.ephemeral", { range: `${m.portRange[0]}-${m.portRange[1]}`, from: node.ephemeralOverlap.from, to: node.ephemeralOverlap.to, pct: Math.round(node.ephemeralOverlap.share * 100) })}
        </p>
      )}
      {node.error && (
        <p className="mt-3 rounded bg-red-950 p-2 text-xs text-red-200" data-testid="node-error" role="alert">
          {node.error.kind}: {node.error.message}
        </p>
      )}
    </article>
  );
}
