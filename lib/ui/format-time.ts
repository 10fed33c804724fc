/** Times as operators read them: 24-hour clock in the viewer's zone, milliseconds when asked. */
export function formatClock(t: number | null, withMs = false): string {
  if (t === null) return "—";
  const clock = new Date(t).toLocaleTimeString([], { hour12: false });
  return withMs ? `${clock}.${String(t % 1000).padStart(3, "0")}` : clock;
}
