"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { queryKeys } from "@/lib/queries/keys";

interface ActionStep {
  at: number;
  step: string;
  detail: Record<string, unknown>;
}
interface ActionResult {
  actionId: string;
  ok: boolean;
  outcome: string;
  port?: number;
  attempts: number;
  error?: { code: number | null; msg: string | null; kind: string; message: string };
  steps: ActionStep[];
}

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

export function ActionDialog({ action, nodeId, rtpKey, onClose }: { action: RtpAction; nodeId: string; rtpKey: string; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState("");
  const [confirmClose, setConfirmClose] = useState(false);
  const [vhost, app, ...rest] = rtpKey.split("/");
  const mutation = useMutation({
    mutationFn: async (): Promise<ActionResult> => {
      const body = { stream_id: rest.join("/"), vhost, app, reason, ...(action === "reopen" ? { confirmClose } : {}) };
      const res = await fetch(`/api/nodes/${encodeURIComponent(nodeId)}/rtp/${action}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const json = (await res.json()) as ActionResult & { message?: string; issues?: { path: string; message: string }[] };
      if (!res.ok) throw new Error(json.issues?.map((i) => `${i.path}: ${i.message}`).join("; ") || json.message || `HTTP ${res.status}`);
      return json;
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.sessions.all() });
      void queryClient.invalidateQueries({ queryKey: queryKeys.log.all() });
    },
  });
  const result = mutation.data;
  return (
    <div role="dialog" aria-modal="true" aria-label={action === "close" ? t("actions.dialogClose") : t("actions.dialogReopen")} className="fixed inset-0 z-20 flex items-center justify-center bg-black/60 text-left" data-testid="action-dialog">
      <div className="w-[32rem] space-y-3 rounded-lg border border-slate-700 bg-slate-900 p-4 text-sm font-normal text-slate-100">
        <h2 className="break-all text-base font-semibold">{t(action === "close" ? "actions.headingClose" : "actions.headingReopen", { key: rtpKey, node: nodeId })}</h2>
        <p className="text-slate-400">{action === "close" ? t("actions.explainClose") : t("actions.explainReopen")}</p>
        <label className="block">
          {t("actions.reason")}
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} className="mt-1 w-full rounded border border-slate-700 bg-slate-950 p-1" rows={2} data-testid="action-reason" aria-describedby="action-reason-hint" autoFocus />
          <span id="action-reason-hint" className="text-xs text-slate-500">
            {t("actions.reasonHint")}
          </span>
        </label>
        {action === "reopen" && (
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={confirmClose} onChange={(e) => setConfirmClose(e.target.checked)} data-testid="action-confirm-close" /> {t("actions.confirmClose")}
          </label>
        )}
        {mutation.error && (
          <p role="alert" className="text-red-300">
            {t("actions.failed", { message: mutation.error.message })}
          </p>
        )}
        {result && <ActionResultView result={result} />}
        <div className="flex justify-end gap-2">
          <button onClick={onClose} className="rounded bg-slate-800 px-3 py-1" data-testid="action-done">
            {result ? t("actions.done") : t("actions.cancel")}
          </button>
          {!result && (
            <button onClick={() => mutation.mutate()} disabled={reason.trim().length < 3 || mutation.isPending} className="rounded bg-sky-700 px-3 py-1 disabled:opacity-50" data-testid="action-submit">
              {mutation.isPending ? t("actions.working") : action === "close" ? t("actions.closeShort") : t("actions.reopenShort")}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}

/** The outcome, then each step: its name as the server logged it, its detail, and what it means. */
function ActionResultView({ result }: { result: ActionResult }) {
  const { t } = useTranslation();
  return (
    <div data-testid="action-result" data-outcome={result.outcome} role="status">
      <p className={result.ok ? "text-emerald-300" : "text-amber-300"}>
        {t(`actions.outcome.${result.outcome}`, { defaultValue: result.outcome })}
        {result.port ? t("actions.onPort", { port: result.port }) : ""} · {t("actions.attempts", { count: result.attempts })}
        {result.error ? ` · ZLM ${result.error.code ?? ""} ${result.error.msg ?? result.error.message}` : ""}
      </p>
      <ol className="mt-1 list-decimal pl-5 text-xs text-slate-300" data-testid="action-steps">
        {result.steps.map((s, i) => (
          <li key={i} data-step={s.step}>
            <span className="font-mono">{s.step}</span> {Object.keys(s.detail).length > 0 && <span className="font-mono text-slate-500">{JSON.stringify(s.detail)}</span>}{" "}
            <span className="text-slate-400">— {t(`actions.step.${s.step}`, { defaultValue: "" })}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
