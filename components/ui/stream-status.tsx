"use client";

import { useTranslation } from "react-i18next";
import { useEventStream } from "@/lib/queries/event-stream";

/** The SSE link's state, in words: operators must know when the picture is stale. */
export function StreamStatusBadge() {
  const { status, lastEventId } = useEventStream();
  const { t } = useTranslation();
  const text = t(`stream.${status}`);
  return (
    <span
      data-testid="stream-status"
      data-status={status}
      className={`rounded px-2 py-0.5 text-xs font-semibold ${status === "live" ? "bg-emerald-900 text-emerald-200" : "bg-amber-900 text-amber-100"}`}
      title={lastEventId ? t("stream.lastEvent", { id: lastEventId }) : undefined}
    >
      {text}
    </span>
  );
}
