import type { NodeStatus } from "@/lib/nodes/types";

/** One node: online state in words and colour, version, and why it is offline. */
export function NodeCard({ node }: { node: NodeStatus }) {
  return (
    <article className="rounded-lg border border-slate-800 bg-slate-900 p-4" data-testid={`node-${node.id}`} aria-label={`Node ${node.label}`}>
      <div className="flex items-center justify-between gap-2">
        <h2 className="font-medium">{node.label}</h2>
        <span
          data-testid="node-state"
          className={`rounded px-2 py-0.5 text-xs font-semibold ${node.online ? "bg-emerald-900 text-emerald-200" : "bg-red-900 text-red-100"}`}
        >
          {node.online ? "Online" : "Offline"}
        </span>
      </div>
      <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="text-slate-400">Node</dt>
        <dd>
          {node.id}
          {node.mode === "demo" && <span className="ml-2 text-xs text-amber-300">demo emulator</span>}
        </dd>
        <dt className="text-slate-400">URL</dt>
        <dd className="truncate font-mono text-xs leading-5">{node.url}</dd>
        {node.version && (
          <>
            <dt className="text-slate-400">Version</dt>
            <dd data-testid="node-version" className="font-mono text-xs leading-5">
              {node.version.commitHash} · {node.version.branchName} · built {node.version.buildTime}
            </dd>
          </>
        )}
        {node.latencyMs !== null && (
          <>
            <dt className="text-slate-400">API latency</dt>
            <dd>{node.latencyMs} ms</dd>
          </>
        )}
      </dl>
      {node.error && (
        <p className="mt-3 rounded bg-red-950 p-2 text-xs text-red-200" data-testid="node-error">
          {node.error.kind}: {node.error.message}
        </p>
      )}
    </article>
  );
}
