import "server-only";
import { getPortscope } from "./portscope.server";
import { AUDIT_KINDS, auditRecords, type AuditRecord } from "../auth/audit";
import type { SignInOutcome } from "../auth/signin.server";
import { getAuthConfig } from "../auth/index.server";

/** Node id of events about Portscope itself (sign-ins). */
export const PORTSCOPE_NODE = "portscope";

/** Every sign-in attempt becomes an event (never the password). */
export async function recordSignIn(a: SignInOutcome["attempt"]): Promise<void> {
  const { pipeline } = await getPortscope();
  const role = a.ok && a.user ? (getAuthConfig().users.find((u) => u.user === a.user)?.role ?? null) : null;
  await pipeline.append([{ at: Date.now(), nodeId: PORTSCOPE_NODE, kind: a.ok ? "auth.signed_in" : "auth.signin_failed", key: null, port: null, source: "system", payload: { user: a.user, role, ok: a.ok, why: a.why, clientAddress: a.clientAddress, userAgent: a.userAgent } }]);
}

export async function readAudit(q: { from?: number; to?: number; limit: number; node?: string; user?: string }): Promise<AuditRecord[]> {
  const { pipeline } = await getPortscope();
  const events = await pipeline.store.query({ kinds: [...AUDIT_KINDS], from: q.from, to: q.to, nodeId: q.node, order: "desc", limit: q.limit * 2 });
  return auditRecords(events)
    .filter((r) => !q.user || r.user === q.user)
    .slice(0, q.limit);
}
