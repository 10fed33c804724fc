/**
 * Times, spans and numbers as operators read them, through Intl in the
 * viewer's language: 24-hour clock, ISO-style dates (2026-12-03 10:09:35),
 * in the viewer's zone (the pages name it). The language follows the UI's
 * (set by the i18n provider), so "42 s" reads "42 秒" on a 简体中文 page.
 */
export type FormatLocale = "en" | "zh";

let current: FormatLocale = "en";

/** Called by the i18n provider whenever the UI language changes. */
export function setFormatLocale(locale: FormatLocale): void {
  current = locale;
}

export function formatLocale(): FormatLocale {
  return current;
}

const BCP47: Record<FormatLocale, string> = { en: "en-GB", zh: "zh-CN" };
const partsCache = new Map<string, Intl.DateTimeFormat>();

function parts(t: number, timeZone?: string): Record<string, string> {
  const id = timeZone ?? "";
  let f = partsCache.get(id);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZone });
    partsCache.set(id, f);
  }
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(t))) out[p.type] = p.value;
  return out;
}

/** "17:54:03" (or "17:54:03.120"): 24-hour, the viewer's zone. */
export function formatClock(t: number | null, withMs = false, timeZone?: string): string {
  if (t === null || !Number.isFinite(t)) return "—";
  const p = parts(t, timeZone);
  const clock = `${p.hour}:${p.minute}:${p.second}`;
  return withMs ? `${clock}.${String(((t % 1000) + 1000) % 1000).padStart(3, "0")}` : clock;
}

/** "17:54": axis ticks. */
export function formatHourMinute(t: number, timeZone?: string): string {
  const p = parts(t, timeZone);
  return `${p.hour}:${p.minute}`;
}

/** "12-03": axis ticks a day apart. */
export function formatMonthDay(t: number, timeZone?: string): string {
  const p = parts(t, timeZone);
  return `${p.month}-${p.day}`;
}

/** "2026-12-03 17:54:03": ISO-style, so no one reads 12/3 as the 12th of March. */
export function formatDateTime(t: number | null, timeZone?: string): string {
  if (t === null || !Number.isFinite(t)) return "—";
  const p = parts(t, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

const UNITS: Record<FormatLocale, { s: string; min: string; h: string; d: string; ms: string }> = {
  en: { s: "s", min: "min", h: "h", d: "d", ms: "ms" },
  zh: { s: "秒", min: "分钟", h: "小时", d: "天", ms: "毫秒" },
};

/** A span as operators say it: "42 s", "7 min", "3 h 12 min", "2 d 4 h" (zh: "42 秒", "3 小时 12 分钟"). */
export function formatSpan(ms: number | null, locale: FormatLocale = current): string {
  const u = UNITS[locale];
  if (ms === null || !Number.isFinite(ms)) return "—";
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} ${u.s}`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} ${u.min}`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} ${u.h} ${m % 60} ${u.min}` : `${h} ${u.h}`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} ${u.d} ${h % 24} ${u.h}` : `${d} ${u.d}`;
}

/** Milliseconds with the unit in the viewer's language: "54 ms" / "54 毫秒". */
export function formatMs(ms: number, locale: FormatLocale = current): string {
  return `${formatNumber(Math.round(ms), locale)} ${UNITS[locale].ms}`;
}

/** A count with the viewer's digit grouping: 10,000 / 10,000 (zh uses the same grouping). */
export function formatNumber(n: number, locale: FormatLocale = current): string {
  return new Intl.NumberFormat(BCP47[locale]).format(n);
}
