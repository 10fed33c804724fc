"use client";

import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { THEME_STORAGE_KEY, type Theme } from "@/lib/ui/theme";

/** Dark / light switch; the choice is saved per browser (the boot script in the layout applied it before paint). */
export function ThemeToggle() {
  const { t } = useTranslation();
  const [theme, setTheme] = useState<Theme>("dark");
  useEffect(() => setTheme(document.documentElement.dataset.theme === "light" ? "light" : "dark"), []);
  const next: Theme = theme === "dark" ? "light" : "dark";
  return (
    <button
      type="button"
      data-testid="theme-toggle"
      data-theme={theme}
      aria-label={t("theme.switchTo", { theme: t(`theme.${next}`) })}
      title={t("theme.switchTo", { theme: t(`theme.${next}`) })}
      className="rounded border border-slate-700 px-2 py-0.5 text-xs text-slate-300 hover:bg-slate-800"
      onClick={() => {
        document.documentElement.dataset.theme = next;
        localStorage.setItem(THEME_STORAGE_KEY, next);
        setTheme(next);
      }}
    >
      {theme === "dark" ? "☾" : "☀"} {t(`theme.${theme}`)}
    </button>
  );
}
