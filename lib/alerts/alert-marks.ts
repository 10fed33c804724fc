/**
 * Acknowledge or silence an alert: the incidents' own events. An incident
 * rule's alert marks its incident (one acknowledgement for both); a metric
 * rule's alert is marked under its own id, which the model keeps with the
 * incident marks. Pure.
 */
import { z } from "zod";
import { operatorMarkFields, silenceNeedsMinutes, SILENCE_NEEDS_MINUTES } from "../actions/incident-marks";
import type { NewEvent } from "../events/types";
import type { AlertView } from "./types";

export const alertMarkSchema = z
  .object({ alertId: z.string().min(1).max(1000), ...operatorMarkFields })
  .strict()
  .refine(silenceNeedsMinutes, SILENCE_NEEDS_MINUTES);
export type AlertMark = z.infer<typeof alertMarkSchema>;

/** The mark's event, or null when no such alert is pending or firing. */
export function alertMarkEvent(mark: AlertMark, alerts: readonly Pick<AlertView, "alertId" | "incidentId" | "nodeId" | "key" | "kind">[], now: number): NewEvent | null {
  const alert = alerts.find((a) => a.alertId === mark.alertId);
  if (!alert) return null;
  const payload: Record<string, unknown> = { incidentId: alert.incidentId ?? alert.alertId, alertId: alert.alertId, type: alert.kind, by: mark.by ?? "operator", reason: mark.reason };
  if (mark.op === "silence") payload.until = now + mark.minutes! * 60_000;
  return { at: now, nodeId: alert.nodeId, kind: mark.op === "acknowledge" ? "incident.acknowledged" : "incident.silenced", key: alert.key, port: null, source: "action", payload };
}
