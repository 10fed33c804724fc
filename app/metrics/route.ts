import { getPortscope } from "@/lib/runtime/portscope.server";

export const dynamic = "force-dynamic";

/** Prometheus text format (docs/metrics.md). Here the bearer token is required; the hook listener's /metrics also takes the allow-list. */
export async function GET(request: Request): Promise<Response> {
  const ps = await getPortscope();
  const answer = await ps.metricsFor(request.headers.get("authorization"));
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
