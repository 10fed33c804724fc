import { getPortscope } from "@/lib/runtime/portscope.server";
import { readDenied } from "@/lib/auth/guard.server";
import { jsonResponse, notFound } from "@/lib/api/respond";
import { sessionEvents } from "@/lib/api/sessions";

export const dynamic = "force-dynamic";

export async function GET(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const denied = readDenied(request);
  if (denied) return denied;
  const { id } = await ctx.params;
  const { pipeline } = await getPortscope();
  const result = await sessionEvents(pipeline.lifecycle, pipeline.store, decodeURIComponent(id));
  return result ? jsonResponse(result) : notFound(`no session ${decodeURIComponent(id).slice(0, 300)}`);
}
