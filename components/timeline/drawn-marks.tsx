"use client";

import { useTranslation } from "react-i18next";
import { formatClock } from "@/lib/ui/format-time";
import { MARKER_ORDER } from "@/lib/ui/state-palette";
import type { DrawSummary } from "./draw-timeline";

/** Counts per marker kind, e.g. "open:3 timeout:1" (also on the timeline element, for tests and tooling). */
export function markerCounts(summary: DrawSummary): string {
  const counts = new Map<string, number>();
  for (const m of summary.markers) counts.set(m.kind, (counts.get(m.kind) ?? 0) + 1);
  return MARKER_ORDER.filter((k) => counts.has(k))
    .map((k) => `${k}:${counts.get(k)}`)
    .join(" ");
}

/**
 * What the canvas drew, as text: the visible rows' markers and the axis ticks.
 * Visually hidden; screen readers and browser tests read the timeline here.
 */
export function DrawnMarks({ summary }: { summary: DrawSummary }) {
  const { t } = useTranslation();
  return (
    <div className="sr-only">
      <p aria-live="polite" data-testid="timeline-marker-summary">
        {t("timelineView.markerSummary", { summary: markerCounts(summary) || "—" })}
      </p>
      <ul data-testid="timeline-markers">
        {summary.markers.map((m) => (
          <li key={`${m.sessionId}|${m.kind}|${m.at}`} data-kind={m.kind} data-session-id={m.sessionId} data-key={m.key} data-node={m.nodeId} data-at={m.at} data-row={m.row} data-label={m.label ?? ""}>
            {formatClock(m.at, true)} {t(`timelineView.marker.${m.kind}`)} {m.label ?? ""} {m.key} {m.detail ?? ""}
          </li>
        ))}
      </ul>
      <ul data-testid="timeline-bands">
        {summary.bands.map((b) => (
          <li key={`${b.sessionId}|${b.state}|${b.from}`} data-state={b.state} data-session-id={b.sessionId} data-from={b.from} data-row={b.row}>
            {t(`state.${b.state}`)} {formatClock(b.from, true)}
          </li>
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
}
