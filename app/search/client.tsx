"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { queryKeys } from "@/lib/queries/keys";
import { fetchSessions } from "@/lib/queries/sessions-query";
import { streamHref } from "@/lib/ui/links";
import { formatClock } from "@/lib/ui/format-time";

/** Streams matching a stream id, SSRC (decimal or 0x hex) or port, across nodes. */
export function SearchResults() {
  const { t } = useTranslation();
  const q = useSearchParams().get("q") ?? "";
  const { data, isPending, error } = useQuery({
    queryKey: queryKeys.sessions.list({ q }),
    queryFn: ({ signal }) => fetchSessions({ q, limit: 1000 }, signal),
    enabled: q.length > 0,
  });
  // A stream may live on several nodes: each port is named with its node ("demo:30012, demo-2:32520").
  const keys = new Map<string, { nodes: Set<string>; ports: Set<string>; last: number }>();
  for (const s of data?.sessions ?? []) {
    const k = keys.get(s.key) ?? { nodes: new Set<string>(), ports: new Set<string>(), last: 0 };
    k.nodes.add(s.nodeId);
    if (s.port !== null) k.ports.add(`${s.nodeId}:${s.port}`);
    k.last = Math.max(k.last, s.lastEventAt);
    keys.set(s.key, k);
  }
  if (!q) return <p className="text-slate-400">{t("search.prompt")}</p>;
  return (
    <section className="space-y-3">
      <h1 className="text-xl font-semibold">{t("search.resultsFor", { q })}</h1>
      {error && (
        <p role="alert" className="text-red-300">
          {t("search.error", { message: error.message })}
        </p>
      )}
      {isPending && <p className="text-slate-400">{t("search.searching")}</p>}
      {!isPending && !error && keys.size === 0 && <p className="text-slate-400">{t("search.none")}</p>}
      <ul className="space-y-1" data-testid="search-results">
        {[...keys.entries()].map(([key, k]) => (
          <li key={key}>
            <Link className="font-mono text-sky-300 hover:underline" href={streamHref(key)}>
              {key}
            </Link>{" "}
            <span className="text-xs text-slate-400">
              <span translate="no">{[...k.nodes].join(", ")}</span> · <span data-testid="search-ports">{t("search.ports", { ports: [...k.ports].join(", ") })}</span> · {t("search.last", { time: formatClock(k.last) })}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
