/**
 * UI text in English and Simplified Chinese. One file per area under
 * `locales/` (each owns its top-level keys); ZLM's own terms stay untranslated.
 */
import { commonText } from "./locales/common";
import { overviewText } from "./locales/overview";
import { timelineText } from "./locales/timeline";
import { wallText } from "./locales/wall";

export const resources = {
  en: { translation: { ...commonText.en, ...overviewText.en, ...wallText.en, ...timelineText.en } },
  zh: { translation: { ...commonText.zh, ...overviewText.zh, ...wallText.zh, ...timelineText.zh } },
} as const;

export type Language = keyof typeof resources;
export const LANGUAGES: { code: Language; label: string }[] = [
  { code: "en", label: "English" },
  { code: "zh", label: "简体中文" },
];
