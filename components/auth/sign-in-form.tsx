"use client";

import { useState } from "react";
import { useTranslation } from "react-i18next";

export interface DemoAccount {
  user: string;
  role: string;
  password: string;
}

/** The sign-in form; in demo mode the built-in accounts are listed with a one-click sign-in each. */
export function SignInForm({ next, demoAccounts }: { next: string; demoAccounts: DemoAccount[] | null }) {
  const { t } = useTranslation();
  const [user, setUser] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const submit = async (u: string, p: string) => {
    setPending(true);
    setError(null);
    try {
      const res = await fetch("/api/auth/signin", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user: u, password: p }) });
      if (!res.ok) {
        const json = (await res.json().catch(() => ({}))) as { message?: string };
        throw new Error(json.message ?? `HTTP ${res.status}`);
      }
      // A full load: every provider (SSE, caches) starts again as the signed-in user.
      window.location.assign(next);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setPending(false);
    }
  };
  return (
    <div className="mx-auto mt-10 max-w-sm space-y-4">
      <h1 className="text-lg font-semibold">{t("auth.title")}</h1>
      <form
        className="space-y-2"
        onSubmit={(e) => {
          e.preventDefault();
          void submit(user, password);
        }}
      >
        <label className="block text-sm">
          {t("auth.user")}
          <input value={user} onChange={(e) => setUser(e.target.value)} autoComplete="username" className="mt-1 w-full rounded border border-slate-700 bg-slate-950 p-1" data-testid="signin-user" />
        </label>
        <label className="block text-sm">
          {t("auth.password")}
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" className="mt-1 w-full rounded border border-slate-700 bg-slate-950 p-1" data-testid="signin-password" />
        </label>
        {error && (
          <p role="alert" className="text-sm text-red-300" data-testid="signin-error">
            {t("auth.failed", { message: error })}
          </p>
        )}
        <button type="submit" disabled={pending || !user || !password} className="rounded bg-sky-700 px-3 py-1 text-sm disabled:opacity-50" data-testid="signin-submit">
          {pending ? t("auth.working") : t("auth.submit")}
        </button>
      </form>
      {demoAccounts && (
        <section className="rounded border border-amber-700 bg-amber-950/40 p-3 text-sm" data-testid="demo-accounts">
          <h2 className="font-semibold text-amber-200">{t("auth.demoTitle")}</h2>
          <p className="text-amber-100">{t("auth.demoExplain", { password: demoAccounts[0]?.password ?? "" })}</p>
          <div className="mt-2 flex gap-2">
            {demoAccounts.map((a) => (
              <button key={a.user} type="button" disabled={pending} onClick={() => void submit(a.user, a.password)} className="rounded bg-slate-800 px-2 py-1 hover:bg-slate-700" data-testid={`demo-signin-${a.role}`}>
                {t("auth.demoUse", { user: a.user })} · {t(`auth.role.${a.role}`)}
              </button>
            ))}
          </div>
        </section>
      )}
    </div>
  );
}
