import { AuditClient } from "./client";

export const dynamic = "force-dynamic";

/** The audit log (admins; proxy.ts and /api/audit refuse anyone else). */
export default function AuditPage() {
  return <AuditClient />;
}
