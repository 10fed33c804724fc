import type { NodeStatus } from "@/lib/nodes/types";
import { NodeCard } from "./node-card";

export function NodeList({ nodes }: { nodes: NodeStatus[] }) {
  if (nodes.length === 0) return <p className="text-slate-400">No nodes configured.</p>;
  return (
    <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3" data-testid="node-list">
      {nodes.map((n) => (
        <li key={n.id}>
          <NodeCard node={n} />
        </li>
      ))}
    </ul>
  );
}
