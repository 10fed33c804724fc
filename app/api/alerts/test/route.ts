import { z } from "zod";
import { getPortscope } from "@/lib/runtime/portscope.server";
import { invalidInput, jsonResponse, notFound, readJsonBody } from "@/lib/api/respond";
import { guard } from "@/lib/auth/guard.server";

export const dynamic = "force-dynamic";

const testSchema = z.object({ channel: z.string().min(1).max(64).optional() }).strict();

/**
 * Send a sample notification to one channel (or all): `{ channel? }`. A
 * mutating admin route: answers 202 with the delivery ids at once; each
 * outcome is recorded as notify.* events (GET /api/log?kind=notify.sent).
 */
export async function POST(request: Request): Promise<Response> {
  const g = guard(request, "configure");
  if ("response" in g) return g.response;
  const read = await readJsonBody(request, { emptyAs: {} });
  if ("response" in read) return read.response;
  const body = read.body;
  const parsed = testSchema.safeParse(body);
  if (!parsed.success) return invalidInput(parsed.error);
  const ps = await getPortscope();
  const sent = ps.alerts.sendSample(parsed.data.channel ?? null, ps.nodes[0]?.id ?? "portscope");
  if (!sent) return notFound(parsed.data.channel ? `no channel ${parsed.data.channel}` : "no notification channels are configured (PORTSCOPE_ALERTS)");
  return jsonResponse({ ok: true, deliveryIds: sent.deliveryIds }, 202);
}
