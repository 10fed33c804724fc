"use client";

import { useQuery } from "@tanstack/react-query";
import type { Preflight } from "../actions/preflight";
import { queryKeys } from "./keys";
import { csrfHeaders } from "../auth/csrf-client";

const keyParts = (rtpKey: string) => {
  const [vhost, app, ...rest] = rtpKey.split("/");
  return { stream_id: rest.join("/"), vhost, app };
};

export async function fetchPreflight(nodeId: string, rtpKey: string, signal?: AbortSignal): Promise<Preflight> {
  const res = await fetch(`/api/nodes/${encodeURIComponent(nodeId)}/rtp/preflight`, { method: "POST", signal, headers: { "content-type": "application/json", ...csrfHeaders() }, body: JSON.stringify(keyParts(rtpKey)) });
  const json = (await res.json()) as Preflight & { message?: string };
  if (!res.ok) throw new Error(json.message ?? `preflight answered HTTP ${res.status}`);
  return json;
}

/** What the key is doing now (holder, port, mode, SSRC, media), read when an action dialog opens and every 2 s while it is open. */
export function usePreflightQuery(nodeId: string, rtpKey: string, enabled: boolean) {
  return useQuery({ queryKey: queryKeys.actions.preflight(nodeId, rtpKey), queryFn: ({ signal }) => fetchPreflight(nodeId, rtpKey, signal), enabled, refetchInterval: enabled ? 2000 : false });
}

export { keyParts };
