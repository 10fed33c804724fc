/**
 * An operator's acknowledgement or silence of an incident, validated at the
 * edge and recorded as an event (the reducer applies it; nothing else holds
 * incident state).
 */
import { z } from "zod";
import type { NewEvent } from "../events/types";
import type { Incident } from "../lifecycle/incidents";

/** An operator's mark, beside the id of what it marks (incidents here, alerts in lib/alerts): acknowledge, or silence for some minutes, with a reason. */
export const operatorMarkFields = {
  op: z.enum(["acknowledge", "silence"]),
  reason: z.string().min(3, "say why (at least 3 characters)").max(500),
  /** For a silence: how long (1 min to 7 days). */
  minutes: z.number().int().min(1).max(7 * 24 * 60).optional(),
  /** Who; the routes put the signed-in person here. */
  by: z.string().min(1).max(200).optional(),
};
export const silenceNeedsMinutes = (m: { op: string; minutes?: number }) => m.op !== "silence" || m.minutes !== undefined;
export const SILENCE_NEEDS_MINUTES = { message: "a silence needs minutes", path: ["minutes"] };

export const incidentMarkSchema = z
  .object({ incidentId: z.string().min(1).max(1000), ...operatorMarkFields })
  .strict()
  .refine(silenceNeedsMinutes, SILENCE_NEEDS_MINUTES);
export type IncidentMark = z.infer<typeof incidentMarkSchema>;

export class UnknownIncidentError extends Error {
  override name = "UnknownIncidentError";
}

/** The event for a mark on a known incident (throws UnknownIncidentError for an id the model does not hold). */
export function incidentMarkEvent(mark: IncidentMark, incidents: Incident[], now: number): NewEvent {
  const incident = incidents.find((i) => i.id === mark.incidentId);
  if (!incident) throw new UnknownIncidentError(`no incident ${mark.incidentId.slice(0, 200)}`);
  const payload: Record<string, unknown> = { incidentId: incident.id, type: incident.type, by: mark.by ?? "operator", reason: mark.reason };
  if (mark.op === "silence") payload.until = now + mark.minutes! * 60_000;
  return { at: now, nodeId: incident.nodeId, kind: mark.op === "acknowledge" ? "incident.acknowledged" : "incident.silenced", key: incident.key, port: incident.port, source: "action", payload };
}
