/**
 * The audit log is read from the event log: every action's start (who, why,
 * what was asked) joined with its finish (outcome, ZLM's answer), every
 * incident mark and every sign-in attempt. One row per record, newest first;
 * exportable as CSV or JSON. Shape after Unkey's audit records: actor,
 * event, resources, context (address, user agent), time.
 */
import type { PortscopeEvent } from "../events/types";

export interface AuditRecord {
  at: number;
  user: string | null;
  role: string | null;
  /** close, reopen, pause, resume, set_timeout, incident.acknowledged, incident.silenced, signin */
  what: string;
  nodeId: string;
  key: string | null;
  port: number | null;
  reason: string | null;
  /** The outcome (media_resumed, closed, failed, …), "ok"/"refused" for sign-ins, null while running. */
  result: string | null;
  ok: boolean | null;
  /** ZLM's code and msg when it refused, or the error's message. */
  zlm: string | null;
  clientAddress: string | null;
  userAgent: string | null;
  actionId: string | null;
  eventId: number;
}

export const AUDIT_KINDS = ["action.started", "action.finished", "incident.acknowledged", "incident.silenced", "auth.signed_in", "auth.signin_failed"] as const;

type Obj = Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" ? v : null);
const obj = (v: unknown): Obj => (v && typeof v === "object" ? (v as Obj) : {});

export function auditRecords(events: readonly PortscopeEvent[]): AuditRecord[] {
  const byAction = new Map<string, AuditRecord>();
  const out: AuditRecord[] = [];
  for (const ev of [...events].sort((a, b) => a.id - b.id)) {
    const p = ev.payload;
    const actor = obj(p.actor);
    const base = { at: ev.at, nodeId: ev.nodeId, key: ev.key, port: ev.port, eventId: ev.id, user: str(actor.user), role: str(actor.role), clientAddress: str(actor.clientAddress), userAgent: str(actor.userAgent) };
    if (ev.kind === "action.started" || ev.kind === "action.finished") {
      const id = str(p.actionId);
      if (!id) continue;
      let rec = byAction.get(id);
      if (!rec) {
        rec = { ...base, what: str(p.action) ?? "?", reason: str(p.reason), result: null, ok: null, zlm: null, actionId: id };
        byAction.set(id, rec);
        out.push(rec);
      }
      if (ev.kind === "action.finished") {
        const err = p.error ? obj(p.error) : null;
        rec.result = str(p.outcome);
        rec.ok = typeof p.ok === "boolean" ? p.ok : null;
        rec.zlm = err ? [err.code != null ? `code ${String(err.code)}` : null, str(err.msg), str(err.message)].filter(Boolean).join(": ") : rec.ok ? "ok" : null;
        rec.port = ev.port ?? rec.port;
        rec.user ??= base.user;
        rec.role ??= base.role;
      }
    } else if (ev.kind === "incident.acknowledged" || ev.kind === "incident.silenced") {
      out.push({ ...base, user: str(p.by), role: str(p.role), clientAddress: str(p.clientAddress), userAgent: str(p.userAgent), what: ev.kind, reason: str(p.reason), result: "recorded", ok: true, zlm: null, actionId: null });
    } else if (ev.kind === "auth.signed_in" || ev.kind === "auth.signin_failed") {
      const ok = ev.kind === "auth.signed_in";
      out.push({ ...base, user: str(p.user), role: str(p.role), clientAddress: str(p.clientAddress), userAgent: str(p.userAgent), what: "signin", reason: null, result: ok ? "ok" : (str(p.why) ?? "refused"), ok, zlm: null, actionId: null });
    }
  }
  return out.sort((a, b) => b.at - a.at || b.eventId - a.eventId);
}

const COLUMNS: (keyof AuditRecord)[] = ["at", "user", "role", "what", "nodeId", "key", "port", "reason", "result", "ok", "zlm", "clientAddress", "userAgent", "actionId", "eventId"];

/** RFC 4180 CSV; the time column is ISO 8601 UTC. Cells that a spreadsheet would run as a formula are quoted with a leading apostrophe. */
export function auditToCsv(records: readonly AuditRecord[]): string {
  const cell = (v: unknown, col: keyof AuditRecord) => {
    if (v === null || v === undefined) return "";
    let s = col === "at" ? new Date(v as number).toISOString() : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [COLUMNS.join(","), ...records.map((r) => COLUMNS.map((c) => cell(r[c], c)).join(","))].join("\r\n") + "\r\n";
}
