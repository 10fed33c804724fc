import { AlertsView } from "@/components/alerts/alerts-view";

export const dynamic = "force-dynamic";

/** Alert rules (read-only, from PORTSCOPE_ALERTS), channels, and the alerts pending or firing. */
export default function AlertsPage() {
  return <AlertsView />;
}
