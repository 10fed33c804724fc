/**
 * What /api/alerts shows (and the alerts page reads): rules as configured,
 * channels without their URLs or secrets (a robot URL is its key), and the
 * live alerts. Pure and browser-safe as a type.
 */
import type { AlertsConfig } from "./config-file";
import type { AlertView } from "./types";

export interface AlertsOverview {
  rules: AlertsConfig["rules"];
  channels: { id: string; format: string; host: string }[];
  alerts: AlertView[];
  evaluateEveryMs: number;
}

export function alertsOverview(config: AlertsConfig, alerts: AlertView[]): AlertsOverview {
  return {
    rules: config.rules,
    channels: config.channels.map((c) => ({ id: c.id, format: c.format, host: new URL(c.url).host })),
    alerts,
    evaluateEveryMs: config.evaluateEveryMs,
  };
}
