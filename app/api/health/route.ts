import { getPortscope } from "@/lib/runtime/portscope.server";
import { jsonResponse } from "@/lib/api/respond";
import { nodesHealth } from "@/lib/nodes/node-health";
import { redactSecretInUrl } from "@/lib/zlm/redact";

export const dynamic = "force-dynamic";

/**
 * Health for operators and monitors: each configured node's state, hook
 * counters, log position, listener. Answers 503 with ok:false while a
 * configured node is unreachable, naming it.
 */
export async function GET(): Promise<Response> {
  const ps = await getPortscope();
  const nodes = nodesHealth(ps.nodes.map((n) => ({ id: n.id, url: redactSecretInUrl(n.url), poll: ps.pollers.get(n.id)?.state ?? null })));
  const unreachable = nodes.filter((n) => n.state === "unreachable");
  return jsonResponse(
    {
      ok: unreachable.length === 0,
      problems: unreachable.map((n) => `node ${n.id} (${n.url}) is unreachable: ${n.error ?? "no answer"}`),
      nodes,
      lastEventId: await ps.pipeline.store.lastId(),
      hooks: ps.receiver.stats(),
      zlmListenerPort: ps.listener?.port ?? null,
      pollers: [...ps.pollers.values()].map((p) => p.state),
      // On a shared PostgreSQL log, each node is polled by one instance: these are this instance's.
      log: ps.log,
      polling: ps.polledNodes(),
    },
    unreachable.length === 0 ? 200 : 503,
  );
}
