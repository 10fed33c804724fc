"use client";

import { useQuery } from "@tanstack/react-query";
import type { Me } from "../auth/roles";
import { queryKeys } from "./keys";

export async function fetchMe(signal?: AbortSignal): Promise<Me | null> {
  const res = await fetch("/api/auth/me", { signal, cache: "no-store" });
  if (res.status === 401) return null;
  if (!res.ok) throw new Error(`/api/auth/me answered HTTP ${res.status}`);
  return (await res.json()) as Me;
}

/** Who is signed in and what they may do; components disable what the role may not (the server refuses anyway). */
export function useMe() {
  return useQuery({ queryKey: queryKeys.auth.me(), queryFn: ({ signal }) => fetchMe(signal), staleTime: 60_000 });
}

/** True once we know the signed-in role may act (close, reopen, pause, incident marks). */
export function useCanAct(): { canAct: boolean; role: string | null } {
  const me = useMe().data;
  return { canAct: !!me?.can.act, role: me?.role ?? null };
}
