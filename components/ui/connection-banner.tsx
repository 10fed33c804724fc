"use client";

import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useEventStream } from "@/lib/queries/event-stream";
import { useNodesQuery } from "@/lib/queries/nodes-query";
import { formatClock } from "@/lib/ui/format-time";

/** Error banners that stay while the problem lasts: the SSE link is down (the picture is stale), or a node is offline. */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const { status } = useEventStream();
  const nodes = useNodesQuery();
  const [downSince, setDownSince] = useState<number | null>(null);
  useEffect(() => setDownSince((prev) => (status === "reconnecting" ? (prev ?? Date.now()) : null)), [status]);
  const offline = (nodes.data?.nodes ?? []).filter((n) => n.reachability === "offline");
  if (!downSince && offline.length === 0 && !nodes.error) return null;
  return (
    <div className="space-y-1 px-6 pt-3" data-testid="connection-banner">
      {downSince && (
        <p role="alert" data-testid="banner-stream" className="rounded border border-amber-700 bg-amber-950 px-3 py-2 text-sm text-amber-100">
          {t("banner.streamDown", { since: formatClock(downSince) })}
        </p>
      )}
      {nodes.error && (
        <p role="alert" className="rounded border border-red-700 bg-red-950 px-3 py-2 text-sm text-red-200">
          {t("banner.serverDown", { error: nodes.error.message })}
        </p>
      )}
      {offline.map((n) => (
        <p key={n.id} role="alert" data-testid={`banner-node-${n.id}`} className="rounded border border-red-700 bg-red-950 px-3 py-2 text-sm text-red-200">
          {t("banner.nodeDown", { node: n.label, error: n.error?.message ?? "", since: formatClock(n.model?.lastDownAt ?? n.checkedAt) })}
        </p>
      ))}
    </div>
  );
}
