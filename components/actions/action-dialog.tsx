"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { queryKeys } from "@/lib/queries/keys";
import { keyParts, usePreflightQuery } from "@/lib/queries/preflight-query";
import type { Preflight } from "@/lib/actions/preflight";
import { formatBytesRate } from "@/lib/ui/format-rate";
import { ActionResultView, type ActionResult } from "./action-result";
import { useCanAct } from "@/lib/queries/me-query";
import { csrfHeaders } from "@/lib/auth/csrf-client";

export type RtpAction = "close" | "reopen";

/**
 * Close or safely reopen one RTP key, with a reason; shows every step the server took.
 * `disabled` (with its reason as the tooltip) while the view shows the past. A list whose
 * rows may vanish (the wall drops released servers) passes `onOpen` and renders the dialog itself.
 */
export function ActionButtons({ nodeId, rtpKey, disabled = false, disabledReason, compact = false, onOpen }: { nodeId: string; rtpKey: string; disabled?: boolean; disabledReason?: string; compact?: boolean; onOpen?: (action: RtpAction) => void }) {
  const { t } = useTranslation();
  const [ownOpen, setOwnOpen] = useState<RtpAction | null>(null);
  const open = onOpen ? null : ownOpen;
  const setOpen = (a: RtpAction | null) => (onOpen && a ? onOpen(a) : setOwnOpen(a));
  // A viewer sees the buttons, disabled with the reason; the server refuses them anyway (403).
  const { canAct, role } = useCanAct();
  if (!canAct) {
    disabledReason = role ? t("auth.roleCannotAct", { role: t(`auth.role.${role}`) }) : disabledReason;
    disabled = true;
  }
  const button = `rounded bg-slate-800 hover:bg-slate-700 disabled:cursor-not-allowed disabled:opacity-40 ${compact ? "px-1.5 py-0.5 text-xs" : "px-2 py-1"}`;
  return (
    <>
      <button onClick={() => setOpen("close")} disabled={disabled} title={disabled ? disabledReason : undefined} className={button} data-testid="action-close">
        {t("actions.close")}
      </button>
      <button onClick={() => setOpen("reopen")} disabled={disabled} title={disabled ? disabledReason : undefined} className={button} data-testid="action-reopen">
        {t("actions.reopen")}
      </button>
      {open && <ActionDialog action={open} nodeId={nodeId} rtpKey={rtpKey} onClose={() => setOpen(null)} />}
    </>
  );
}

type Phase = "form" | "confirm" | "done";

/**
 * Read first, then act: the dialog shows what the key is doing (preflight), asks for a reason,
 * asks once more before closing a server that holds the key (a step here, not a failed action),
 * and locks the reason once the action ran.
 */
export function ActionDialog({ action, nodeId, rtpKey, port, tcpMode, onClose }: { action: RtpAction; nodeId: string; rtpKey: string; port?: number | null; tcpMode?: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState("");
  const [keep, setKeep] = useState(true);
  const [phase, setPhase] = useState<Phase>("form");
  const preflight = usePreflightQuery(nodeId, rtpKey, phase !== "done");
  const pre = preflight.data;
  const mutation = useMutation({
    mutationFn: async (): Promise<ActionResult> => {
      const body = { ...keyParts(rtpKey), reason, ...(action === "reopen" ? { confirmClose: true, keep } : {}) };
      const res = await fetch(`/api/nodes/${encodeURIComponent(nodeId)}/rtp/${action}`, { method: "POST", headers: { "content-type": "application/json", ...csrfHeaders() }, body: JSON.stringify(body) });
      const json = (await res.json()) as ActionResult & { message?: string; issues?: { path: string; message: string }[] };
      if (!res.ok) throw new Error(json.issues?.map((i) => `${i.path}: ${i.message}`).join("; ") || json.message || `HTTP ${res.status}`);
      return json;
    },
    onSettled: () => {
      setPhase("done");
      void queryClient.invalidateQueries({ queryKey: queryKeys.sessions.all() });
      void queryClient.invalidateQueries({ queryKey: queryKeys.log.all() });
    },
  });
  const result = mutation.data;
  // Closing a held server is confirmed inside the dialog; a key nobody holds needs no second question.
  const needsConfirm = !!pre?.held;
  const submit = () => (needsConfirm && phase === "form" ? setPhase("confirm") : mutation.mutate());
  const locked = phase === "done" || mutation.isPending;
  return (
    <div role="dialog" aria-modal="true" aria-label={action === "close" ? t("actions.dialogClose") : t("actions.dialogReopen")} className="fixed inset-0 z-20 flex items-center justify-center bg-black/60 text-left" data-testid="action-dialog" data-phase={phase}>
      <div className="w-[34rem] max-w-[95vw] space-y-3 rounded-lg border border-slate-700 bg-slate-900 p-4 text-sm font-normal text-slate-100">
        <h2 className="break-all text-base font-semibold">{t(action === "close" ? "actions.headingClose" : "actions.headingReopen", { key: rtpKey, node: nodeId })}</h2>
        {/* The port and mode as the row showed them (the preflight below says what ZLM holds now). */}
        <p className="font-mono text-xs text-slate-300" data-testid="action-port" data-port={port ?? pre?.port ?? ""}>
          {t("actions.target", { port: port ?? pre?.port ?? "—", mode: tcpMode ?? pre?.tcpMode ?? "—" })}
        </p>
        <p className="text-slate-400">{action === "close" ? t("actions.explainClose") : t("actions.explainReopen")}</p>
        <PreflightView pre={pre} loading={preflight.isPending} error={preflight.error?.message ?? null} action={action} />
        <label className="block">
          {t("actions.reason")}
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} readOnly={locked} disabled={locked} className="mt-1 w-full rounded border border-slate-700 bg-slate-950 p-1 disabled:opacity-70" rows={2} data-testid="action-reason" aria-describedby="action-reason-hint" autoFocus />
          <span id="action-reason-hint" className="text-xs text-slate-400">
            {t("actions.reasonHint")}
          </span>
        </label>
        {action === "reopen" && pre?.held && (
          <label className="flex items-start gap-2">
            <input type="checkbox" checked={keep} disabled={locked} onChange={(e) => setKeep(e.target.checked)} data-testid="action-keep" className="mt-1" />
            <span>
              {t("actions.keep", { port: pre.port, mode: pre.tcpMode, ssrc: pre.ssrc })}
              {!keep && <span className="block text-amber-300">{t("actions.keepOffWarning")}</span>}
            </span>
          </label>
        )}
        {phase === "confirm" && pre && (
          <p role="alert" className="rounded border border-amber-700 bg-amber-950/60 p-2 text-amber-100" data-testid="action-confirm-text">
            {t(pre.mediaLive ? "actions.confirmLive" : "actions.confirmHeld", { port: pre.port, rate: pre.bytesPerSec ? formatBytesRate(pre.bytesPerSec) : "" })}
          </p>
        )}
        {mutation.error && (
          <p role="alert" className="text-red-300">
            {t("actions.failed", { message: mutation.error.message })}
          </p>
        )}
        {result && <ActionResultView result={result} />}
        <div className="flex justify-end gap-2">
          {phase === "confirm" && !locked && (
            <button onClick={() => setPhase("form")} className="rounded bg-slate-800 px-3 py-1" data-testid="action-back">
              {t("actions.back")}
            </button>
          )}
          <button onClick={onClose} className="rounded bg-slate-800 px-3 py-1" data-testid="action-done">
            {phase === "done" ? t("actions.done") : t("actions.cancel")}
          </button>
          {phase !== "done" && (
            <button onClick={submit} disabled={reason.trim().length < 3 || mutation.isPending || !pre} className="rounded bg-sky-700 px-3 py-1 disabled:opacity-50" data-testid={phase === "confirm" ? "action-confirm" : "action-submit"}>
              {mutation.isPending ? t("actions.working") : phase === "confirm" ? t(action === "close" ? "actions.confirmCloseButton" : "actions.confirmReopenButton") : submitLabel(action, pre, t)}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}

function submitLabel(action: RtpAction, pre: Preflight | undefined, t: (k: string) => string): string {
  if (action === "close") return t("actions.closeShort");
  return pre?.held ? t("actions.closeAndReopen") : t("actions.reopenShort");
}

/** The key as the preflight found it: holder, port, mode, SSRC, and whether media is live. */
function PreflightView({ pre, loading, error, action }: { pre: Preflight | undefined; loading: boolean; error: string | null; action: RtpAction }) {
  const { t } = useTranslation();
  if (error) return <p className="text-red-300">{t("actions.preflightFailed", { message: error })}</p>;
  if (loading || !pre) return <p className="text-slate-400">{t("actions.preflightLoading")}</p>;
  const tone = pre.mediaLive ? "border-amber-700 text-amber-100" : "border-slate-700 text-slate-200";
  return (
    <div className={`rounded border p-2 ${tone}`} data-testid="action-preflight" data-activity={pre.activity} data-port={pre.port ?? ""}>
      <p>{t(`actions.activity.${pre.activity}`, { rate: pre.bytesPerSec !== null ? formatBytesRate(pre.bytesPerSec) : "" })}</p>
      {pre.held && <p className="font-mono text-xs text-slate-400">{t("actions.holder", { port: pre.port, mode: pre.tcpMode, ssrc: pre.ssrc })}</p>}
      {pre.mediaLive && <p className="mt-1 font-semibold">{t(action === "close" ? "actions.liveWarningClose" : "actions.liveWarningReopen")}</p>}
    </div>
  );
}
