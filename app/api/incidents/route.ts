import { getPortscope } from "@/lib/runtime/portscope.server";
import { incidentsQuerySchema, searchParamsObject } from "@/lib/api/read-params";
import { invalidInput, jsonResponse, notFound, readJsonBody } from "@/lib/api/respond";
import { guard } from "@/lib/auth/guard.server";
import { incidentMarkEvent, incidentMarkSchema } from "@/lib/actions/incident-marks";

export const dynamic = "force-dynamic";

/** Incidents (open first, critical first): `?node=`, `?key=`, `?state=open|acknowledged|silenced|resolved`. */
export async function GET(request: Request): Promise<Response> {
  const g = guard(request, "read");
  if ("response" in g) return g.response;
  const parsed = incidentsQuerySchema.safeParse(searchParamsObject(new URL(request.url).searchParams));
  if (!parsed.success) return invalidInput(parsed.error);
  const { pipeline } = await getPortscope();
  const { node, key, state } = parsed.data;
  const incidents = pipeline.lifecycle.incidents(Date.now()).filter((i) => (!node || i.nodeId === node) && (!key || i.key === key) && (!state || i.state === state));
  return jsonResponse({ incidents });
}

/** Acknowledge or silence one incident, with a reason: `{ incidentId, op, reason, minutes? }`. */
export async function POST(request: Request): Promise<Response> {
  const g = guard(request, "act");
  if ("response" in g) return g.response;
  const read = await readJsonBody(request);
  if ("response" in read) return read.response;
  const body = read.body;
  const parsed = incidentMarkSchema.safeParse(body);
  if (!parsed.success) return invalidInput(parsed.error);
  const { pipeline } = await getPortscope();
  const now = Date.now();
  try {
    const mark = incidentMarkEvent({ ...parsed.data, by: g.actor.user }, pipeline.lifecycle.incidents(now), now);
    mark.payload = { ...mark.payload, role: g.actor.role, clientAddress: g.actor.clientAddress, userAgent: g.actor.userAgent };
    const [event] = await pipeline.append([mark]);
    return jsonResponse({ ok: true, eventId: event.id, incident: pipeline.lifecycle.incidents(Date.now()).find((i) => i.id === parsed.data.incidentId) ?? null });
  } catch (err) {
    // By name, not class: the production bundle renames classes (and Next may load this module twice).
    if (err instanceof Error && err.name === "UnknownIncidentError") return notFound(err.message);
    throw err;
  }
}
