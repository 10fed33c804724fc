import { getPortscope } from "@/lib/runtime/portscope.server";
import { timeoutRequestSchema } from "@/lib/actions/request-schema";
import { isUnknownNodeError } from "@/lib/actions/actions.server";
import { invalidInput, jsonResponse, notFound, readJsonBody } from "@/lib/api/respond";
import { guard } from "@/lib/auth/guard.server";

export const dynamic = "force-dynamic";

/** View (GET) and change (POST `{ timeoutSec, reason }`) a node's rtp_proxy.timeoutSec; the change is recorded as events. */
export async function GET(request: Request, ctx: { params: Promise<{ node: string }> }): Promise<Response> {
  const g = guard(request, "read");
  if ("response" in g) return g.response;
  const { node } = await ctx.params;
  const ps = await getPortscope();
  const model = ps.pipeline.lifecycle.node(node);
  return model ? jsonResponse({ node, timeoutSec: model.timeoutSec }) : notFound(`no node ${node.slice(0, 64)}`);
}

export async function POST(request: Request, ctx: { params: Promise<{ node: string }> }): Promise<Response> {
  const g = guard(request, "configure");
  if ("response" in g) return g.response;
  const { node } = await ctx.params;
  const read = await readJsonBody(request);
  if ("response" in read) return read.response;
  const body = read.body;
  const parsed = timeoutRequestSchema.safeParse(body);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    return jsonResponse(await (await getPortscope()).actions.setTimeoutSec(node, parsed.data, g.actor));
  } catch (err) {
    if (isUnknownNodeError(err)) return notFound(err.message);
    throw err;
  }
}
