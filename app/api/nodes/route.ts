import { getPortscope } from "@/lib/runtime/portscope.server";
import { readDenied } from "@/lib/auth/guard.server";
import { nodeStatus } from "@/lib/nodes/node-status";
import { nodeLiveness } from "@/lib/lifecycle/node-liveness";
import { redactSecretInUrl } from "@/lib/zlm/redact";
import { jsonResponse } from "@/lib/api/respond";

export const dynamic = "force-dynamic";

/** Every configured node as the poller and the lifecycle model see it (no extra ZLM call per request). Never the secret. */
export async function GET(request: Request): Promise<Response> {
  const denied = readDenied(request);
  if (denied) return denied;
  const ps = await getPortscope();
  const model = ps.pipeline.lifecycle;
  const now = Date.now();
  return jsonResponse({
    nodes: ps.nodes.map((n) =>
      nodeStatus({ id: n.id, label: n.label, url: redactSecretInUrl(n.url), mode: n.mode }, ps.pollers.get(n.id)?.state, model.node(n.id) ?? null, model.liveSessions(n.id).length, nodeLiveness(model, n.id, now).by === "keepalive"),
    ),
  });
}
