/**
 * Acknowledge or silence an alert: the incidents' own events. An incident
 * rule's alert marks its incident (one acknowledgement for both); a metric
 * rule's alert is marked under its own id, which the model keeps with the
 * incident marks. Pure.
 */
import { z } from "zod";
import type { NewEvent } from "../events/types";
import type { AlertView } from "./types";

export const alertMarkSchema = z
  .object({
    alertId: z.string().min(1).max(1000),
    op: z.enum(["acknowledge", "silence"]),
    reason: z.string().min(3, "say why (at least 3 characters)").max(500),
    minutes: z.number().int().min(1).max(7 * 24 * 60).optional(),
    by: z.string().min(1).max(200).optional(),
  })
  .strict()
  .refine((m) => m.op !== "silence" || m.minutes !== undefined, { message: "a silence needs minutes", path: ["minutes"] });
export type AlertMark = z.infer<typeof alertMarkSchema>;

/** The mark's event, or null when no such alert is pending or firing. */
export function alertMarkEvent(mark: AlertMark, alerts: readonly Pick<AlertView, "alertId" | "incidentId" | "nodeId" | "key" | "kind">[], now: number): NewEvent | null {
  const alert = alerts.find((a) => a.alertId === mark.alertId);
  if (!alert) return null;
  const payload: Record<string, unknown> = { incidentId: alert.incidentId ?? alert.alertId, alertId: alert.alertId, type: alert.kind, by: mark.by ?? "operator", reason: mark.reason };
  if (mark.op === "silence") payload.until = now + mark.minutes! * 60_000;
  return { at: now, nodeId: alert.nodeId, kind: mark.op === "acknowledge" ? "incident.acknowledged" : "incident.silenced", key: alert.key, port: null, source: "action", payload };
}
