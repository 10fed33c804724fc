"use client";

import Link from "next/link";
import { useTranslation } from "react-i18next";
import { useMe } from "@/lib/queries/me-query";
import { csrfHeaders } from "@/lib/auth/csrf-client";

/** Who is signed in, their role, the audit log for admins, and sign-out. */
export function UserMenu() {
  const { t } = useTranslation();
  const me = useMe().data;
  if (!me) return null;
  const signOut = async () => {
    await fetch("/api/auth/signout", { method: "POST", headers: csrfHeaders() });
    window.location.assign("/signin");
  };
  return (
    <div className="flex items-center gap-2 text-xs text-slate-300" data-testid="user-menu" data-role={me.role}>
      {me.can.audit && (
        <Link href="/audit" className="hover:underline" data-testid="nav-audit">
          {t("audit.title")}
        </Link>
      )}
      <span data-testid="signed-in-as">
        <span translate="no">{me.user}</span> {t("auth.roleInParens", { role: t(`auth.role.${me.role}`) })}
      </span>
      {me.via === "session" && (
        <button type="button" onClick={() => void signOut()} className="rounded bg-slate-800 px-1.5 py-0.5 hover:bg-slate-700" data-testid="sign-out">
          {t("auth.signOut")}
        </button>
      )}
    </div>
  );
}
