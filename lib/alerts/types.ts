/** An alert as the API and the alerts page show it (browser-safe). */
export interface AlertView {
  alertId: string;
  ruleId: string;
  severity: string;
  nodeId: string;
  key: string | null;
  kind: string;
  detail: string;
  value: number | null;
  incidentId: string | null;
  state: "pending" | "firing" | "acknowledged" | "silenced";
  pendingSince: number;
  firingSince: number | null;
}
