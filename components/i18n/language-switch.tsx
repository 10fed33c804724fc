"use client";

import { useTranslation } from "react-i18next";
import { LANGUAGES } from "@/lib/i18n/resources";

export function LanguageSwitch() {
  const { i18n, t } = useTranslation();
  return (
    <select
      aria-label={t("nav.language")}
      data-testid="language"
      value={i18n.language}
      onChange={(e) => {
        localStorage.setItem("portscope.lang", e.target.value);
        void i18n.changeLanguage(e.target.value);
        document.documentElement.lang = e.target.value === "zh" ? "zh-CN" : "en";
      }}
      className="rounded bg-slate-800 px-1 text-xs"
    >
      {LANGUAGES.map((l) => (
        <option key={l.code} value={l.code}>
          {l.label}
        </option>
      ))}
    </select>
  );
}
