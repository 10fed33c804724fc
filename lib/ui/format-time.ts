/** Times as operators read them: 24-hour clock in the viewer's zone, milliseconds when asked. */
export function formatClock(t: number | null, withMs = false): string {
  if (t === null) return "—";
  const clock = new Date(t).toLocaleTimeString([], { hour12: false });
  return withMs ? `${clock}.${String(t % 1000).padStart(3, "0")}` : clock;
}

/** A span as operators say it: "42 s", "7 min", "3 h 12 min", "2 d 4 h". */
export function formatSpan(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "—";
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}
