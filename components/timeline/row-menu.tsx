"use client";

import Link from "next/link";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { ActionButtons } from "@/components/actions/action-dialog";
import type { PortSession } from "@/lib/lifecycle/types";
import { streamHref } from "@/lib/ui/links";
import { actionable, sessionLiveness } from "@/lib/ui/session-liveness";
import { useNodesQuery } from "@/lib/queries/nodes-query";

/**
 * A timeline row's menu, opened from its sticky label: the stream's page, its
 * port's page, and Close / Safe reopen through the shared action dialog.
 * Stays open while that dialog is up (the dialog lives inside it).
 */
export function RowMenu({ session: s, top, onDismiss }: { session: PortSession; top: number; onDismiss: () => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const stream = s.key.split("/").slice(2).join("/");
  const nodes = useNodesQuery();
  const liveness = sessionLiveness(s, nodes.data?.nodes);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && !ref.current?.querySelector('[role="dialog"]') && onDismiss();
    const onDown = (e: PointerEvent) => ref.current && !ref.current.contains(e.target as Node) && onDismiss();
    window.addEventListener("keydown", onKey);
    window.addEventListener("pointerdown", onDown);
    return () => {
      window.removeEventListener("keydown", onKey);
      window.removeEventListener("pointerdown", onDown);
    };
  }, [onDismiss]);

  return (
    <div ref={ref} role="menu" aria-label={t("timelineView.rowMenu.label", { stream })} className="absolute left-2 z-20 w-72 space-y-2 rounded border border-slate-700 bg-slate-900 p-2 text-xs text-slate-100 shadow-lg" style={{ top }} data-testid="timeline-row-menu" data-key={s.key} data-node={s.nodeId}>
      <div className="flex items-start justify-between gap-2">
        <div>
          <div className="font-mono">{stream}</div>
          <div className="text-slate-400">
            {s.nodeId} · {s.key.split("/")[1]} · port {s.port ?? "?"}
          </div>
        </div>
        <button onClick={onDismiss} aria-label={t("timelineView.rowMenu.dismiss")} className="rounded px-1 text-slate-400 hover:bg-slate-800">
          ✕
        </button>
      </div>
      <div className="flex flex-col gap-1">
        <Link role="menuitem" href={streamHref(s.key)} className="rounded bg-slate-800 px-2 py-1 hover:bg-slate-700" data-testid="row-open-stream">
          {t("timelineView.rowMenu.openStream")}
        </Link>
        {s.port !== null && (
          <Link role="menuitem" href={`/ports/${encodeURIComponent(s.nodeId)}/${s.port}`} className="rounded bg-slate-800 px-2 py-1 hover:bg-slate-700" data-testid="row-open-port">
            {t("timelineView.rowMenu.openPort")}
          </Link>
        )}
      </div>
      <div className="flex gap-2">
        <ActionButtons nodeId={s.nodeId} rtpKey={s.key} disabled={!actionable(liveness)} disabledReason={liveness.kind === "history" ? t("wall.history") : t("wall.unknownSince", { time: "—" })} />
      </div>
    </div>
  );
}
