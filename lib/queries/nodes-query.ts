"use client";

import { useQuery } from "@tanstack/react-query";
import type { NodeStatus } from "../nodes/types";
import { queryKeys } from "./keys";

export interface NodesResponse {
  nodes: NodeStatus[];
}

export async function fetchNodes(signal?: AbortSignal): Promise<NodesResponse> {
  const res = await fetch("/api/nodes", { signal, cache: "no-store" });
  if (!res.ok) throw new Error(`/api/nodes answered HTTP ${res.status}`);
  return (await res.json()) as NodesResponse;
}

/** Node online state and version, refreshed every 5 s. */
export function useNodesQuery() {
  return useQuery({ queryKey: queryKeys.nodes.all(), queryFn: ({ signal }) => fetchNodes(signal), refetchInterval: 5000 });
}
