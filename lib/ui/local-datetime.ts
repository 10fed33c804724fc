/**
 * `<input type="datetime-local">` speaks the viewer's wall clock without a
 * zone ("2026-12-01T10:07:00"); these convert it to and from epoch ms.
 */
const pad = (n: number, w = 2) => String(n).padStart(w, "0");

export function toLocalInput(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Epoch ms of a datetime-local value in the viewer's zone; null when empty or not a date. */
export function fromLocalInput(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, ms] = m;
  const t = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), Number((ms ?? "0").padEnd(3, "0"))).getTime();
  return Number.isFinite(t) ? t : null;
}

/** The viewer's zone by name ("Asia/Shanghai"), as every shown time is in it. */
export function viewerZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "local time";
}
