"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { DiagnosisStats } from "../diagnosis/verdict-stats";
import { queryKeys } from "./keys";

export type { DiagnosisBucket, RecentVerdict, CauseCounts } from "../diagnosis/verdict-stats";

export interface DiagnosisParams {
  node?: string;
  /** Epoch ms; the server defaults to the last hour up to now. */
  from?: number;
  to?: number;
  bucketMs?: number;
}

export type DiagnosisResponse = DiagnosisStats & { truncated: boolean };

export async function fetchDiagnosis(params: DiagnosisParams, signal?: AbortSignal): Promise<DiagnosisResponse> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") q.set(k, String(v));
  const res = await fetch(`/api/diagnosis?${q}`, { signal, cache: "no-store" });
  if (!res.ok) throw new Error(`/api/diagnosis answered HTTP ${res.status}`);
  return (await res.json()) as DiagnosisResponse;
}

/** "Already exists" verdicts per cause, node and bucket; refreshed every 15 s (SSE may invalidate `diagnosis.all`). */
export function useDiagnosisQuery(params: DiagnosisParams) {
  // undefined members would make different-looking keys for the same query
  const clean = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as DiagnosisParams;
  return useQuery({
    queryKey: queryKeys.diagnosis.stats(clean),
    queryFn: ({ signal }) => fetchDiagnosis(clean, signal),
    refetchInterval: 15_000,
    placeholderData: keepPreviousData,
  });
}
