/**
 * Which changes deserve a toast: a node going down or coming back, a node
 * restart (every port released), an operator action finishing. Pure, tested;
 * the notifier component translates the keys.
 */
import type { PortscopeEvent } from "../events/types";

export interface Notice {
  tone: "info" | "success" | "warning" | "error";
  /** i18n key under `notice.` and its parameters. */
  key: string;
  params: Record<string, string | number>;
}

export type Reachability = "online" | "offline" | "checking";

/** Compares the previous and current reachability per node; the first sighting of a node says nothing. */
export function nodeNotices(prev: ReadonlyMap<string, Reachability>, nodes: { id: string; label: string; reachability: Reachability; error?: { message: string } | null }[]): Notice[] {
  const out: Notice[] = [];
  for (const n of nodes) {
    const before = prev.get(n.id);
    if (before === undefined || before === n.reachability || n.reachability === "checking") continue;
    if (n.reachability === "offline") out.push({ tone: "error", key: "nodeOffline", params: { node: n.label, error: n.error?.message ?? "" } });
    else if (before === "offline") out.push({ tone: "success", key: "nodeOnline", params: { node: n.label } });
  }
  return out;
}

export function eventNotices(events: PortscopeEvent[]): Notice[] {
  const out: Notice[] = [];
  for (const e of events) {
    const p = e.payload;
    if (e.kind === "node.restarted") out.push({ tone: "warning", key: "nodeRestarted", params: { node: e.nodeId } });
    else if (e.kind === "action.finished") {
      const action = String(p.action ?? "action");
      const stream = (e.key ?? "").split("/").slice(2).join("/") || e.nodeId;
      if (p.ok === true) out.push({ tone: "success", key: "actionOk", params: { action, stream, outcome: String(p.outcome ?? "") } });
      else {
        const err = p.error as { message?: unknown } | null | undefined;
        out.push({ tone: "error", key: "actionFailed", params: { action, stream, outcome: String(p.outcome ?? ""), error: typeof err?.message === "string" ? err.message : "" } });
      }
    }
  }
  return out;
}
