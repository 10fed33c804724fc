"use client";

import { useQuery } from "@tanstack/react-query";
import type { NodeMediaRates } from "../api/media";
import type { MediaRate } from "../ingest/media-rates";
import { queryKeys } from "./keys";

export interface MediaRatesResponse {
  nodes: NodeMediaRates[];
  generatedAt: number;
}

export interface MediaFilters {
  node?: string;
  key?: string;
}

export async function fetchMediaRates(filters: MediaFilters, signal?: AbortSignal): Promise<MediaRatesResponse> {
  const qs = new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => !!e[1])).toString();
  const res = await fetch(`/api/media${qs ? `?${qs}` : ""}`, { signal, cache: "no-store" });
  if (!res.ok) throw new Error(`/api/media answered HTTP ${res.status}`);
  return (await res.json()) as MediaRatesResponse;
}

/** `${nodeId}|${key}` -> the stream's last receive rate. */
export function ratesByStream(data: MediaRatesResponse | undefined): Map<string, MediaRate> {
  const out = new Map<string, MediaRate>();
  for (const n of data?.nodes ?? []) for (const r of n.rates) out.set(`${n.nodeId}|${r.key}`, r);
  return out;
}

/** Receive rates from the pollers' last getMediaList, refreshed every 2 s (the poll interval); off while `enabled` is false. */
export function useMediaRatesQuery(filters: MediaFilters, enabled = true) {
  // undefined members would make different-looking keys for the same query
  const clean = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as MediaFilters;
  return useQuery({ queryKey: queryKeys.media.list(clean), queryFn: ({ signal }) => fetchMediaRates(clean, signal), refetchInterval: 2000, enabled });
}
