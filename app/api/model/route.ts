import { getPortscope } from "@/lib/runtime/portscope.server";
import { readDenied } from "@/lib/auth/guard.server";
import { jsonResponse } from "@/lib/api/respond";

export const dynamic = "force-dynamic";

/** The whole lifecycle model, as derived from the log (support export; compared in crash tests). */
export async function GET(request: Request): Promise<Response> {
  const denied = readDenied(request);
  if (denied) return denied;
  const { pipeline } = await getPortscope();
  return jsonResponse({ lastEventId: await pipeline.store.lastId(), model: pipeline.lifecycle.snapshot() });
}
