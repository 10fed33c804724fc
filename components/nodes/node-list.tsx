import type { NodeStatus } from "@/lib/nodes/types";
import { NodeCard } from "./node-card";

/** The node cards; clicking a node's name narrows the overview to it (again: all nodes). */
export function NodeList({ nodes, selected, onSelect }: { nodes: NodeStatus[]; selected?: string; onSelect?: (id: string | null) => void }) {
  if (nodes.length === 0) return <p className="text-slate-400">No nodes configured.</p>;
  return (
    <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3" data-testid="node-list">
      {nodes.map((n) => (
        <li key={n.id}>
          <NodeCard node={n} selected={selected === n.id} onSelect={onSelect ? () => onSelect(selected === n.id ? null : n.id) : undefined} />
        </li>
      ))}
    </ul>
  );
}
