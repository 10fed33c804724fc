"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
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

/** Close or safely reopen one RTP key, with a reason; shows every step the server took. */
export function ActionButtons({ nodeId, rtpKey }: { nodeId: string; rtpKey: string }) {
  const [open, setOpen] = useState<"close" | "reopen" | null>(null);
  return (
    <>
      <button onClick={() => setOpen("close")} className="rounded bg-slate-800 px-2 py-1 hover:bg-slate-700" data-testid="action-close">
        Close…
      </button>
      <button onClick={() => setOpen("reopen")} className="rounded bg-slate-800 px-2 py-1 hover:bg-slate-700" data-testid="action-reopen">
        Safe reopen…
      </button>
      {open && <ActionDialog action={open} nodeId={nodeId} rtpKey={rtpKey} onClose={() => setOpen(null)} />}
    </>
  );
}

function ActionDialog({ action, nodeId, rtpKey, onClose }: { action: "close" | "reopen"; nodeId: string; rtpKey: string; onClose: () => void }) {
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
    <div role="dialog" aria-modal="true" aria-label={action === "close" ? "Close RTP server" : "Safely reopen RTP server"} className="fixed inset-0 z-20 flex items-center justify-center bg-black/60" data-testid="action-dialog">
      <div className="w-[32rem] space-y-3 rounded-lg border border-slate-700 bg-slate-900 p-4 text-sm">
        <h2 className="text-base font-semibold">{action === "close" ? "Close" : "Safe reopen"} <span className="font-mono">{rtpKey}</span> on {nodeId}</h2>
        <p className="text-slate-400">
          {action === "close"
            ? "Closes the server by the exact key ZLM lists, then waits until listRtpServer confirms the port is free."
            : "Checks listRtpServer and getMediaList, closes a holder only if you confirm, waits for the release, then opens, retrying transient errors with backoff."}
        </p>
        <label className="block">
          Reason (kept in the audit trail)
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} className="mt-1 w-full rounded border border-slate-700 bg-slate-950 p-1" rows={2} data-testid="action-reason" />
        </label>
        {action === "reopen" && (
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={confirmClose} onChange={(e) => setConfirmClose(e.target.checked)} data-testid="action-confirm-close" /> close the server that holds the key, if any
          </label>
        )}
        {mutation.error && <p role="alert" className="text-red-300">{mutation.error.message}</p>}
        {result && (
          <div data-testid="action-result" data-outcome={result.outcome}>
            <p className={result.ok ? "text-emerald-300" : "text-amber-300"}>
              {result.outcome}
              {result.port ? ` on port ${result.port}` : ""} · {result.attempts} attempt(s)
              {result.error ? ` · ZLM ${result.error.code ?? ""} ${result.error.msg ?? result.error.message}` : ""}
            </p>
            <ol className="mt-1 list-decimal pl-5 text-xs text-slate-300">
              {result.steps.map((s, i) => (
                <li key={i}>
                  {s.step} {Object.keys(s.detail).length > 0 && <span className="text-slate-500">{JSON.stringify(s.detail)}</span>}
                </li>
              ))}
            </ol>
          </div>
        )}
        <div className="flex justify-end gap-2">
          <button onClick={onClose} className="rounded bg-slate-800 px-3 py-1">
            {result ? "Done" : "Cancel"}
          </button>
          {!result && (
            <button onClick={() => mutation.mutate()} disabled={reason.trim().length < 3 || mutation.isPending} className="rounded bg-sky-700 px-3 py-1 disabled:opacity-50" data-testid="action-submit">
              {mutation.isPending ? "Working…" : action === "close" ? "Close" : "Reopen"}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
