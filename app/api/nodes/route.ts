import { getPortscope } from "@/lib/runtime/portscope.server";
import { getNodeStatuses } from "@/lib/nodes/status.server";
import { jsonResponse } from "@/lib/api/respond";

export const dynamic = "force-dynamic";

/** Every configured node: online state and version (checked now), and what the poller last saw. Never the secret. */
export async function GET(): Promise<Response> {
  const ps = await getPortscope();
  const statuses = await getNodeStatuses(ps.nodes);
  const model = ps.pipeline.lifecycle;
  return jsonResponse({
    nodes: statuses.map((n) => ({
      ...n,
      poll: ps.pollers.get(n.id)?.state ?? null,
      model: model.node(n.id) ?? null,
      liveSessions: model.liveSessions(n.id).length,
    })),
  });
}
