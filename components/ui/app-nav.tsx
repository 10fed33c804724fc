"use client";

import Link from "next/link";
import { useTranslation } from "react-i18next";

export function AppNav() {
  const { t } = useTranslation();
  return (
    <nav className="flex gap-3 text-sm text-slate-300">
      <Link href="/">{t("nav.timeline")}</Link>
      <Link href="/wall">{t("nav.wall")}</Link>
      <Link href="/alerts">{t("nav.alerts")}</Link>
    </nav>
  );
}
