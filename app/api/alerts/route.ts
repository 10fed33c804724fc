import { getPortscope } from "@/lib/runtime/portscope.server";
import { invalidInput, jsonResponse, notFound, readJsonBody } from "@/lib/api/respond";
import { alertMarkEvent, alertMarkSchema } from "@/lib/alerts/alert-marks";
import { alertsOverview } from "@/lib/alerts/overview";
import { guard } from "@/lib/auth/guard.server";

export const dynamic = "force-dynamic";

/** The alert rules, the channels (no URLs or secrets) and the alerts pending or firing now. */
export async function GET(request: Request): Promise<Response> {
  const g = guard(request, "read");
  if ("response" in g) return g.response;
  const { alerts } = await getPortscope();
  return jsonResponse(alertsOverview(alerts.config, alerts.alerts()));
}

/** Acknowledge or silence an alert, with a reason: `{ alertId, op, reason, minutes? }` (the incidents' own marks). */
export async function POST(request: Request): Promise<Response> {
  const g = guard(request, "act");
  if ("response" in g) return g.response;
  const read = await readJsonBody(request);
  if ("response" in read) return read.response;
  const body = read.body;
  const parsed = alertMarkSchema.safeParse(body);
  if (!parsed.success) return invalidInput(parsed.error);
  const { alerts, pipeline } = await getPortscope();
  const event = alertMarkEvent({ ...parsed.data, by: g.actor.user }, alerts.alerts(), Date.now());
  if (!event) return notFound(`no alert ${parsed.data.alertId.slice(0, 200)} is pending or firing`);
  const [stored] = await pipeline.append([event]);
  alerts.tick();
  return jsonResponse({ ok: true, eventId: stored.id, alert: alerts.alerts().find((a) => a.alertId === parsed.data.alertId) ?? null });
}
