"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { queryKeys } from "@/lib/queries/keys";
import { fetchSessions } from "@/lib/queries/sessions-query";
import { streamHref } from "@/lib/ui/links";

/** Streams matching a stream id, SSRC (decimal or 0x hex) or port, across nodes. */
export function SearchResults() {
  const q = useSearchParams().get("q") ?? "";
  const { data, isPending } = useQuery({
    queryKey: queryKeys.sessions.list({ q }),
    queryFn: ({ signal }) => fetchSessions({ q, limit: 1000 }, signal),
    enabled: q.length > 0,
  });
  const keys = new Map<string, { nodeId: string; ports: Set<number>; last: number }>();
  for (const s of data?.sessions ?? []) {
    const k = keys.get(s.key) ?? { nodeId: s.nodeId, ports: new Set<number>(), last: 0 };
    if (s.port !== null) k.ports.add(s.port);
    k.last = Math.max(k.last, s.lastEventAt);
    keys.set(s.key, k);
  }
  return (
    <section className="space-y-3">
      <h1 className="text-xl font-semibold">
        Results for <span className="font-mono">{q}</span>
      </h1>
      {isPending && q && <p className="text-slate-400">Searching…</p>}
      {!isPending && keys.size === 0 && <p className="text-slate-400">No stream, SSRC or port matches.</p>}
      <ul className="space-y-1" data-testid="search-results">
        {[...keys.entries()].map(([key, k]) => (
          <li key={key}>
            <Link className="font-mono text-sky-300 hover:underline" href={streamHref(key)}>
              {key}
            </Link>{" "}
            <span className="text-xs text-slate-400">
              {k.nodeId} · ports {[...k.ports].join(", ")} · last {new Date(k.last).toLocaleTimeString()}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
