import { getPortscope } from "@/lib/runtime/portscope.server";
import { jsonResponse } from "@/lib/api/respond";

export const dynamic = "force-dynamic";

/** Process health for operators and monitors: hook counters, log position, listener. */
export async function GET(): Promise<Response> {
  const ps = await getPortscope();
  return jsonResponse({
    ok: true,
    lastEventId: await ps.pipeline.store.lastId(),
    hooks: ps.receiver.stats(),
    zlmListenerPort: ps.listener?.port ?? null,
    pollers: [...ps.pollers.values()].map((p) => p.state),
  });
}
