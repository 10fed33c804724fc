"use client";

import { useTranslation } from "react-i18next";
import { useEventStream } from "@/lib/queries/event-stream";
import { formatClock } from "@/lib/ui/format-time";

/** The wall screen's header (the app header is hidden in kiosk mode): which node, the clock, and whether the picture is live. */
export function KioskBar({ nodeLabel, position, count, nextInSec, now }: { nodeLabel: string | null; position: number; count: number; nextInSec: number | null; now: number }) {
  const { t } = useTranslation();
  const { status } = useEventStream();
  return (
    <div className="flex items-baseline gap-6 border-b border-slate-800 pb-2" data-testid="kiosk-bar">
      <span className="text-2xl font-semibold">Portscope</span>
      <span className="text-xl" data-testid="kiosk-node">
        {nodeLabel ? <span translate="no">{nodeLabel}</span> : t("kiosk.allNodes")}
        {count > 1 && nodeLabel && <span className="ml-2 text-base text-slate-400">{t("kiosk.position", { position, count })}</span>}
      </span>
      {nextInSec !== null && <span className="text-base text-slate-400">{t("kiosk.next", { sec: nextInSec })}</span>}
      <span className={`ml-auto rounded px-2 text-base font-semibold ${status === "live" ? "bg-emerald-900 text-emerald-200" : "bg-amber-900 text-amber-100"}`}>{t(`stream.${status}`)}</span>
      {/* The server renders its own second; the browser's wins without a hydration error. */}
      <span className="font-mono text-2xl" suppressHydrationWarning>
        {formatClock(now)}
      </span>
    </div>
  );
}
