"use client";

import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

export type ToastTone = "info" | "success" | "warning" | "error";
export interface Toast {
  id: number;
  tone: ToastTone;
  title: string;
  body?: string;
}

const Ctx = createContext<((t: Omit<Toast, "id">) => void) | null>(null);
const TONES: Record<ToastTone, string> = {
  info: "border-slate-700 bg-slate-900",
  success: "border-emerald-700 bg-emerald-950",
  warning: "border-amber-700 bg-amber-950",
  error: "border-red-700 bg-red-950",
};
const MAX_VISIBLE = 4;
const LIFETIME_MS = 7000;

/** Short-lived notices (actions finished, nodes up/down, SSE back): announced to screen readers, never blocking. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const { t: tr } = useTranslation();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), []);
  const push = useCallback(
    (t: Omit<Toast, "id">) => {
      const id = nextId.current++;
      setToasts((list) => [...list, { ...t, id }].slice(-MAX_VISIBLE));
      setTimeout(() => dismiss(id), t.tone === "error" ? LIFETIME_MS * 2 : LIFETIME_MS);
    },
    [dismiss],
  );
  return (
    <Ctx.Provider value={push}>
      {children}
      <ol className="pointer-events-none fixed bottom-4 right-4 z-50 flex w-80 flex-col gap-2" aria-live="polite" data-testid="toasts">
        {toasts.map((t) => (
          <li key={t.id} className={`pointer-events-auto rounded border p-3 text-sm shadow-lg ${TONES[t.tone]}`} data-tone={t.tone} role={t.tone === "error" ? "alert" : "status"}>
            <div className="flex items-start gap-2">
              <strong className="flex-1 font-semibold">{t.title}</strong>
              <button type="button" aria-label={tr("notice.dismiss")} className="text-slate-400 hover:text-slate-100" onClick={() => dismiss(t.id)}>
                ×
              </button>
            </div>
            {t.body && <p className="mt-1 text-xs text-slate-300">{t.body}</p>}
          </li>
        ))}
      </ol>
    </Ctx.Provider>
  );
}

export function useToast(): (t: Omit<Toast, "id">) => void {
  const push = useContext(Ctx);
  if (!push) throw new Error("useToast outside ToastProvider");
  return push;
}
