/** What a notification says, whatever the chat format (lib/notify/formats.ts renders it). */
export interface Notification {
  status: "firing" | "resolved";
  alertId: string;
  ruleId: string;
  ruleName: string | null;
  severity: "critical" | "warning" | "info";
  nodeId: string;
  key: string | null;
  port: number | null;
  /** The incident kind, or the metric a metric rule watches. */
  kind: string;
  detail: string;
  value: number | null;
  incidentId: string | null;
  /** When it began firing, and when it resolved (null while firing). Epoch ms. */
  startsAt: number;
  endsAt: number | null;
  /** A sample sent by the test endpoint, not a real alert. */
  sample: boolean;
  dashboardUrl: string | null;
}
