"use client";

import i18next from "i18next";
import { useEffect, useState, type ReactNode } from "react";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { resources, type Language } from "./resources";
import { setFormatLocale } from "@/lib/ui/format-time";

/**
 * i18next, one instance per tab. The server renders English; after mount the
 * language comes from ?lang=, then the saved choice, then the browser.
 */
function createI18n() {
  const instance = i18next.createInstance();
  // Times and spans follow the UI language (lib/ui/format-time), set before any component renders with it.
  instance.on("languageChanged", (lng) => setFormatLocale(lng === "zh" ? "zh" : "en"));
  void instance.use(initReactI18next).init({ resources, lng: "en", fallbackLng: "en", interpolation: { escapeValue: false } });
  return instance;
}

export function detectLanguage(search: string, saved: string | null, browser: string): Language {
  const fromUrl = new URLSearchParams(search).get("lang");
  const pick = fromUrl ?? saved ?? browser;
  return pick?.toLowerCase().startsWith("zh") ? "zh" : "en";
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [i18n] = useState(createI18n);
  useEffect(() => {
    const lang = detectLanguage(window.location.search, localStorage.getItem("portscope.lang"), navigator.language);
    void i18n.changeLanguage(lang);
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  }, [i18n]);
  return <I18nextProvider i18n={i18n}>{children}</I18nextProvider>;
}
