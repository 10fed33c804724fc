"use client";

import { NodeList } from "@/components/nodes/node-list";
import { useNodesQuery } from "@/lib/queries/nodes-query";

export function NodesOverview() {
  const { data, error, isPending, dataUpdatedAt } = useNodesQuery();
  return (
    <section aria-labelledby="nodes-heading" className="space-y-4">
      <div className="flex items-baseline justify-between">
        <h1 id="nodes-heading" className="text-xl font-semibold">
          Nodes
        </h1>
        {dataUpdatedAt > 0 && (
          <span className="text-xs text-slate-400" data-testid="nodes-updated">
            checked {new Date(dataUpdatedAt).toLocaleTimeString()} ({Intl.DateTimeFormat().resolvedOptions().timeZone})
          </span>
        )}
      </div>
      {isPending && <p className="text-slate-400">Checking nodes…</p>}
      {error && (
        <p role="alert" className="rounded border border-red-700 bg-red-950 p-3 text-red-200">
          Cannot reach Portscope&apos;s server: {error.message}
        </p>
      )}
      {data && <NodeList nodes={data.nodes} />}
    </section>
  );
}
