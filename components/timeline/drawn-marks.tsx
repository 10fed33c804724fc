"use client";

import { memo, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { formatClock } from "@/lib/ui/format-time";
import { MARKER_ORDER } from "@/lib/ui/state-palette";
import type { DrawnSession, DrawSummary } from "./draw-timeline";

/** Counts per marker kind, e.g. "open:3 timeout:1" (also on the timeline element, for tests and tooling). */
export function markerCounts(summary: DrawSummary, label: (kind: string) => string = (k) => `${k}:`): string {
  const counts = new Map<string, number>();
  for (const s of summary.sessions) for (const m of s.markers) counts.set(m.kind, (counts.get(m.kind) ?? 0) + 1);
  return MARKER_ORDER.filter((k) => counts.has(k))
    .map((k) => `${label(k)}${counts.get(k)}`)
    .join(" ");
}

/** Changes only when a drawn mark does (band ends move with the clock and are left out). */
export function summarySignature(summary: DrawSummary): string {
  return `${summary.ticks.map((k) => k.t).join()}|${summary.sessions.map(sessionSignature).join("|")}`;
}

const contentSignature = (s: DrawnSession) => `${s.stale ?? ""};${s.bands.map((b) => b.state + b.from).join()};${s.markers.map((m) => m.kind + m.at + (m.label ?? "")).join()}`;
const sessionSignature = (s: DrawnSession) => `${s.sessionId}@${s.row}:${contentSignature(s)}`;

/**
 * What the canvas drew, as text: one line per drawn session (its bands'
 * states and its markers, in space-separated data attributes) and the axis
 * ticks. Visually hidden; screen readers and browser tests read the timeline here.
 */
export const DrawnMarks = memo(function DrawnMarks({ summary }: { summary: DrawSummary }) {
  const { t } = useTranslation();
  return (
    <div className="sr-only">
      <p aria-live="polite" data-testid="timeline-marker-summary">
        {t("timelineView.markerSummary", { summary: markerCounts(summary, (k) => `${t(`timelineView.marker.${k}`)} `) || "—" })}
      </p>
      <ul data-testid="timeline-drawn">
        {summary.sessions.map((s) => (
          <DrawnSessionItem key={s.sessionId} session={s} />
        ))}
      </ul>
      <ol data-testid="timeline-axis">
        {summary.ticks.map((k) => (
          <li key={k.t} data-t={k.t}>
            {k.label}
          </li>
        ))}
      </ol>
    </div>
  );
});

/** One line per session; re-rendered only when what was drawn of it changed (formatting times is the costly part). */
const DrawnSessionItem = memo(
  function DrawnSessionItem({ session: s }: { session: DrawnSession }) {
    const { t } = useTranslation();
    const content = contentSignature(s);
    // Rows shift under a burst of events: only the row attribute changes then, the text (times to format) does not.
    const text = useMemo(
      () => `${s.key}${s.stale === "history" ? ` (${t("wall.history")})` : s.stale === "unknown" ? ` (${t("wall.unknownSince", { time: "—" })})` : ""} · ${s.bands.map((b) => `${t(`state.${b.state}`)} ${formatClock(b.from)}`).join(", ")}${s.markers.length ? " · " : ""}${s.markers.map((m) => `${t(`timelineView.marker.${m.kind}`)}${m.label ? ` ${m.label}` : ""} ${formatClock(m.at, true)}`).join(", ")}`,
      // eslint-disable-next-line react-hooks/exhaustive-deps
      [content, t],
    );
    return (
      <li data-session-id={s.sessionId} data-key={s.key} data-node={s.nodeId} data-row={s.row} data-stale={s.stale} data-states={[...new Set(s.bands.map((b) => b.state))].join(" ")} data-markers={s.markers.map((m) => m.kind).join(" ")} data-labels={s.markers.flatMap((m) => (m.label ? [m.label] : [])).join(" ")}>
        {text}
      </li>
    );
  },
  (a, b) => sessionSignature(a.session) === sessionSignature(b.session),
);
