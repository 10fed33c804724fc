import { getPortscope } from "@/lib/runtime/portscope.server";
import { closeRequestSchema, pauseRequestSchema, preflightRequestSchema, reopenRequestSchema } from "@/lib/actions/request-schema";
import { isUnknownNodeError } from "@/lib/actions/actions.server";
import { invalidInput, jsonResponse, notFound, readJsonBody } from "@/lib/api/respond";
import { guard } from "@/lib/auth/guard.server";

export const dynamic = "force-dynamic";

/** Operator actions on one RTP key: close, safe reopen, pause, resume (the answer carries the action id, every step and the outcome), and the read-only preflight the dialog shows first. */
export async function POST(request: Request, ctx: { params: Promise<{ node: string; action: string }> }): Promise<Response> {
  const { node, action } = await ctx.params;
  // The preflight only reads; every other action needs an operator (proxy.ts checked too: defence in depth).
  const g = guard(request, action === "preflight" ? "read" : "act");
  if ("response" in g) return g.response;
  const actor = g.actor;
  const read = await readJsonBody(request);
  if ("response" in read) return read.response;
  const body = read.body;
  const { actions } = await getPortscope();
  try {
    switch (action) {
      case "preflight": {
        const p = preflightRequestSchema.safeParse(body);
        return p.success ? jsonResponse(await actions.preflight(node, p.data)) : invalidInput(p.error);
      }
      case "close": {
        const p = closeRequestSchema.safeParse(body);
        return p.success ? jsonResponse(await actions.close(node, p.data, actor)) : invalidInput(p.error);
      }
      case "reopen": {
        const p = reopenRequestSchema.safeParse(body);
        return p.success ? jsonResponse(await actions.reopen(node, p.data, actor)) : invalidInput(p.error);
      }
      case "pause":
      case "resume": {
        const p = pauseRequestSchema.safeParse(body);
        if (!p.success) return invalidInput(p.error);
        return jsonResponse(action === "pause" ? await actions.pause(node, p.data, actor) : await actions.resume(node, p.data, actor));
      }
      default:
        return notFound(`no action ${action.slice(0, 40)}: use preflight, close, reopen, pause or resume`);
    }
  } catch (err) {
    if (isUnknownNodeError(err)) return notFound(err.message);
    throw err;
  }
}
