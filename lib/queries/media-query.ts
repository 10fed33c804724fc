"use client";

import { useQuery } from "@tanstack/react-query";
import type { NodeMediaRates } from "../api/media";
import type { MediaRate } from "../ingest/media-rates";
import { queryKeys } from "./keys";

export interface MediaRatesResponse {
  nodes: NodeMediaRates[];
  generatedAt: number;
}

export async function fetchMediaRates(node: string | undefined, signal?: AbortSignal): Promise<MediaRatesResponse> {
  const res = await fetch(`/api/media${node ? `?node=${encodeURIComponent(node)}` : ""}`, { signal, cache: "no-store" });
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
export function useMediaRatesQuery(node?: string, enabled = true) {
  return useQuery({ queryKey: queryKeys.media.list(node), queryFn: ({ signal }) => fetchMediaRates(node, signal), refetchInterval: 2000, enabled });
}
