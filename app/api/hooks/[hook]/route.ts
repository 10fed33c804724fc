import { getPortscope } from "@/lib/runtime/portscope.server";
import { requestClientAddress } from "@/lib/auth/identify";
import { getAuthConfig } from "@/lib/auth/index.server";
import { MAX_HOOK_BODY_BYTES } from "@/lib/ingest/hook-receiver";
import { jsonResponse, readLimitedBody } from "@/lib/api/respond";

export const dynamic = "force-dynamic";

/** ZLM hooks on the Next port, for simple setups; the lean listener (PORTSCOPE_ZLM_PORT) shares the same receiver. */
export async function POST(request: Request, ctx: { params: Promise<{ hook: string }> }): Promise<Response> {
  const { hook } = await ctx.params;
  const url = new URL(request.url);
  const { body, bytes } = await readLimitedBody(request, MAX_HOOK_BODY_BYTES);
  const { receiver } = await getPortscope();
  const answer = await receiver.handle({
    hook,
    token: url.searchParams.get("token"),
    remoteAddress: requestClientAddress(request.headers, getAuthConfig().trustedProxies),
    body,
    bodyBytes: bytes,
  });
  // A Response is handed to Next whole; once returned, ZLM has our answer as far as we can know.
  answer.onSent?.();
  return jsonResponse(answer.body, answer.status);
}
