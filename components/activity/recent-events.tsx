"use client";

import Link from "next/link";
import { useTranslation } from "react-i18next";
import { useEventStream } from "@/lib/queries/event-stream";
import { streamHref } from "@/lib/ui/links";
import { formatClock } from "@/lib/ui/format-time";

/** The transitions worth a line; their labels are `eventKind.*` in the locale files. */
const SHOWN = new Set(["rtp.opened", "rtp.open_failed", "rtp.receiving", "rtp.media_stopped", "rtp.timed_out", "rtp.closed", "rtp.released", "node.restarted"]);

/** The newest lifecycle transitions as they arrive over SSE (also the timeline's accessible text). */
export function RecentEvents({ limit = 15 }: { limit?: number }) {
  const { recent } = useEventStream();
  const { t } = useTranslation();
  const items = recent.filter((e) => SHOWN.has(e.kind)).slice(-limit).reverse();
  return (
    <section aria-labelledby="recent-heading" className="rounded-lg border border-slate-800 p-3">
      <h2 id="recent-heading" className="mb-2 text-sm font-semibold text-slate-300">
        {t("recent.title")}
      </h2>
      {items.length === 0 && <p className="text-xs text-slate-400">{t("recent.waiting")}</p>}
      <ul className="space-y-1 text-xs" data-testid="recent-events">
        {items.map((e) => (
          <li key={e.id} data-kind={e.kind} className="flex gap-2">
            <span className="w-20 shrink-0 font-mono text-slate-400">{formatClock(e.at)}</span>
            <span className="w-24 shrink-0">{t(`eventKind.${e.kind}`)}</span>
            {e.key ? (
              <Link className="truncate font-mono text-sky-300 hover:underline" href={streamHref(e.key)}>
                {e.key.split("/").slice(2).join("/")}
              </Link>
            ) : (
              <span className="text-slate-400">{e.nodeId}</span>
            )}
            {e.port !== null && <span className="text-slate-400">:{e.port}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
