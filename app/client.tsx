"use client";

import { useEffect, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { NodeList } from "@/components/nodes/node-list";
import { KioskTiles } from "@/components/nodes/kiosk-tiles";
import { TimelinePanel } from "@/components/timeline/timeline-panel";
import { useTimelineView } from "@/components/timeline/use-timeline-view";
import { RecentEvents } from "@/components/activity/recent-events";
import { IncidentList } from "@/components/incidents/incident-list";
import { ActivityChart } from "@/components/charts/activity-chart";
import { NodeCharts } from "@/components/charts/node-charts";
import { VerdictSummary } from "@/components/charts/verdict-summary";
import { useDiagnosisQuery } from "@/lib/queries/diagnosis-query";
import { ConnectZlm } from "@/components/ui/connect-zlm";
import { KioskBar } from "@/components/ui/kiosk-bar";
import { Skeleton } from "@/components/ui/skeleton";
import { activitySeries } from "@/lib/ui/activity-series";
import { nodeActivity, type FailureBucket } from "@/lib/ui/node-activity";
import { nextNode, parseRotateSec } from "@/lib/ui/kiosk";
import { useThrottled } from "@/lib/ui/use-throttled";
import { useNodesQuery } from "@/lib/queries/nodes-query";
import { useSessionsQuery } from "@/lib/queries/sessions-query";
import { useIncidentsQuery } from "@/lib/queries/incidents-query";
import { useSearchParams } from "next/navigation";

/** The overview: nodes, the live timeline, charts per node, anomalies and the newest transitions. View state lives in the URL. */
export function Overview() {
  const { t } = useTranslation();
  const view = useTimelineView();
  const params = useSearchParams();
  const { node, kiosk, span, queryFrom, to, now, setParam } = view;
  const rotateSec = kiosk ? parseRotateSec(params.get("rotate")) : 0;

  useEffect(() => {
    document.documentElement.dataset.kiosk = kiosk ? "1" : "0";
  }, [kiosk]);

  const nodes = useNodesQuery();
  const nodeIds = useMemo(() => (nodes.data?.nodes ?? []).map((n) => n.id), [nodes.data]);
  // Wall screens rotate through the nodes, one at a time.
  const rotating = rotateSec > 0 && nodeIds.length > 1;
  useEffect(() => {
    if (!rotating) return;
    const timer = setTimeout(() => setParam("node", nextNode(nodeIds, node) ?? null), node ? rotateSec * 1000 : 0);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rotating, node, rotateSec, nodeIds.join("|")]);
  const rotatedAt = useMemo(() => Date.now(), [node]); // eslint-disable-line react-hooks/exhaustive-deps

  // A coarse start keeps the query key while the live window slides (SSE patches the rows in between).
  const sessions = useSessionsQuery({ node, from: queryFrom, limit: 1000 });
  // The wall screen shows every node's tile and incidents while the rotation narrows the timeline and charts.
  const incidents = useIncidentsQuery({ node: kiosk ? undefined : node });
  // About 60 buckets over the visible window (zoomed or preset), never under a minute.
  const bucketMs = Math.max(60_000, Math.round(span / 60 / 60_000) * 60_000);
  // Recomputed when data or range changes, not every clock tick.
  const minute = Math.floor(to / 60_000);
  const seriesFrom = minute * 60_000 - span;
  const seriesTo = minute * 60_000 + 60_000;
  // The charts follow the sessions every 2 s; the timeline itself takes every patch.
  const chartSessions = useThrottled(sessions.data?.sessions, 2000);
  const series = useMemo(() => activitySeries(chartSessions ?? [], seriesFrom, seriesTo, bucketMs), [chartSessions, seriesFrom, seriesTo, bucketMs]);
  const shownNodes = (nodes.data?.nodes ?? []).filter((n) => !node || n.id === node);
  // Refused opens come from the event log (most never become a session: the holder keeps the key).
  const diagnosis = useDiagnosisQuery({ node, from: seriesFrom, to: seriesTo, bucketMs });
  const failureBuckets: FailureBucket[] | undefined = diagnosis.data?.buckets;
  const perNode = useMemo(
    () => shownNodes.map((n) => ({ node: n, points: nodeActivity(n.id, chartSessions ?? [], failureBuckets ?? [], seriesFrom, seriesTo, bucketMs, n.poolCapacity ?? null) })),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [chartSessions, failureBuckets, shownNodes.map((n) => `${n.id}:${n.poolCapacity}`).join("|"), seriesFrom, seriesTo, bucketMs],
  );
  const current = nodes.data?.nodes.find((n) => n.id === node) ?? null;

  return (
    <div className="space-y-4">
      {kiosk && <KioskBar nodeLabel={current?.label ?? null} position={node ? nodeIds.indexOf(node) + 1 : 0} count={nodeIds.length} nextInSec={rotating && node ? Math.max(0, Math.ceil((rotatedAt + rotateSec * 1000 - now) / 1000)) : null} now={now} />}
      {nodes.isPending ? (
        <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
          <Skeleton className="h-48" label={t("overview.loadingNodes")} />
          <Skeleton className="h-48" label={t("overview.loadingNodes")} />
        </div>
      ) : (
        nodes.data && (kiosk ? <KioskTiles nodes={nodes.data.nodes} incidents={incidents.data?.incidents ?? []} current={node} /> : <NodeList nodes={nodes.data.nodes} selected={node} onSelect={(id) => setParam("node", id)} />)
      )}
      {/* Incidents above the fold: what needs someone comes before what merely happened. */}
      <IncidentList incidents={incidents.data?.incidents ?? []} compact={kiosk} limit={kiosk ? 24 : 12} />
      {sessions.isPending ? (
        <Skeleton className="h-[460px]" label={t("overview.loadingTimeline")} />
      ) : (
        <TimelinePanel view={view} sessions={sessions.data?.sessions ?? []} total={sessions.data?.total ?? 0} emptyState={sessions.isSuccess && sessions.data.total === 0 ? <ConnectZlm /> : null} />
      )}
      {sessions.isPending ? <Skeleton className="h-52" label={t("overview.loadingCharts")} /> : <ActivityChart points={series} bucketMs={bucketMs} />}
      {perNode.length > 0 && (
        <section aria-label={t("charts.perNode")} className={`grid gap-4 ${perNode.length > 1 ? "lg:grid-cols-2" : ""}`}>
          {perNode.map(({ node: n, points }) => (
            <NodeCharts key={n.id} nodeId={n.id} label={n.label} points={points} bucketMs={bucketMs} poolCapacity={n.poolCapacity ?? null} />
          ))}
        </section>
      )}
      <VerdictSummary data={diagnosis.data} />
      <RecentEvents />
    </div>
  );
}
