/**
 * UI text in English and Simplified Chinese. One file per area under
 * `locales/` (each owns its top-level keys); ZLM's own terms stay untranslated.
 */
import { commonText } from "./locales/common";
import { overviewText } from "./locales/overview";
import { timelineText } from "./locales/timeline";
import { wallText } from "./locales/wall";
import { investigationText } from "./locales/investigation";
import { actionsText } from "./locales/actions";
import { searchText } from "./locales/search";
import { incidentsText } from "./locales/incidents";
import { alertsText } from "./locales/alerts";
import { authText } from "./locales/auth";

export const resources = {
  en: { translation: { ...commonText.en, ...overviewText.en, ...timelineText.en, ...wallText.en, ...investigationText.en, ...actionsText.en, ...searchText.en, ...incidentsText.en, ...alertsText.en, ...authText.en, nav: { ...commonText.en.nav, ...alertsText.en.nav } } },
  zh: { translation: { ...commonText.zh, ...overviewText.zh, ...timelineText.zh, ...wallText.zh, ...investigationText.zh, ...actionsText.zh, ...searchText.zh, ...incidentsText.zh, ...alertsText.zh, ...authText.zh, nav: { ...commonText.zh.nav, ...alertsText.zh.nav } } },
} as const;

export type Language = keyof typeof resources;
export const LANGUAGES: { code: Language; label: string }[] = [
  { code: "en", label: "English" },
  { code: "zh", label: "简体中文" },
];
