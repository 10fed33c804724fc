"use client";

import { useEffect, useMemo } from "react";
import { NodeList } from "@/components/nodes/node-list";
import { TimelinePanel } from "@/components/timeline/timeline-panel";
import { useTimelineView } from "@/components/timeline/use-timeline-view";
import { RecentEvents } from "@/components/activity/recent-events";
import { AnomalyList } from "@/components/anomalies/anomaly-list";
import { ActivityChart } from "@/components/charts/activity-chart";
import { ConnectZlm } from "@/components/ui/connect-zlm";
import { activitySeries } from "@/lib/ui/activity-series";
import { useNodesQuery } from "@/lib/queries/nodes-query";
import { useAnomaliesQuery, useSessionsQuery } from "@/lib/queries/sessions-query";
import { RANGES } from "@/lib/ui/time-range";

/** The overview: nodes, the live timeline, anomalies and the newest transitions. View state lives in the URL. */
export function Overview() {
  const view = useTimelineView();
  const { range, node, kiosk, from, to } = view;

  useEffect(() => {
    document.documentElement.dataset.kiosk = kiosk ? "1" : "0";
  }, [kiosk]);

  const nodes = useNodesQuery();
  const sessions = useSessionsQuery({ node, from, limit: 1000 });
  const anomalies = useAnomaliesQuery(node);
  const bucketMs = Math.max(60_000, Math.round(RANGES[range] / 60 / 60_000) * 60_000);
  // Recomputed when data or range changes, not every clock tick.
  const minute = Math.floor(to / 60_000);
  const series = useMemo(() => activitySeries(sessions.data?.sessions ?? [], minute * 60_000 - RANGES[range], minute * 60_000 + 60_000, bucketMs), [sessions.data, minute, range, bucketMs]);

  return (
    <div className="space-y-4">
      {nodes.data && <NodeList nodes={nodes.data.nodes} />}
      {nodes.error && (
        <p role="alert" className="rounded border border-red-700 bg-red-950 p-3 text-red-200">
          Cannot reach Portscope&apos;s server: {nodes.error.message}
        </p>
      )}
      <TimelinePanel view={view} sessions={sessions.data?.sessions ?? []} total={sessions.data?.total ?? 0} emptyState={sessions.isSuccess && sessions.data.total === 0 ? <ConnectZlm /> : null} />
      <ActivityChart points={series} bucketMs={bucketMs} />
      <div className="grid gap-4 lg:grid-cols-2">
        <AnomalyList anomalies={anomalies.data?.anomalies ?? []} />
        <RecentEvents />
      </div>
    </div>
  );
}
