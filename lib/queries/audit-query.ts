"use client";

import { useQuery } from "@tanstack/react-query";
import type { AuditRecord } from "../auth/audit";
import { queryKeys } from "./keys";

export function auditUrl(params: { from?: number; to?: number; user?: string }, format: "json" | "csv" = "json"): string {
  const q = new URLSearchParams();
  if (params.from !== undefined) q.set("from", String(params.from));
  if (params.to !== undefined) q.set("to", String(params.to));
  if (params.user) q.set("user", params.user);
  q.set("format", format);
  return `/api/audit?${q.toString()}`;
}

export async function fetchAudit(params: { from?: number; to?: number; user?: string }, signal?: AbortSignal): Promise<AuditRecord[]> {
  const res = await fetch(auditUrl(params), { signal, cache: "no-store" });
  const json = (await res.json()) as { records?: AuditRecord[]; message?: string };
  if (!res.ok) throw new Error(json.message ?? `/api/audit answered HTTP ${res.status}`);
  return json.records ?? [];
}

/** The audit log (admins), refreshed every 5 s. */
export function useAuditQuery(params: { from?: number; to?: number; user?: string }) {
  return useQuery({ queryKey: queryKeys.audit.list(params), queryFn: ({ signal }) => fetchAudit(params, signal), refetchInterval: 5000 });
}
