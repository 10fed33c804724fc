/**
 * Canvas drawing of the lifecycle timeline, Grafana-state-timeline style:
 * only the visible rows are drawn, boxes are batched per colour, labels are
 * drawn last on an opaque gutter so they stay put while time scrolls.
 * Returns what it drew (markers, ticks) so the DOM can say it too.
 */
import type { PortSession } from "@/lib/lifecycle/types";
import { sessionBands, sessionMarkers, type Band, type Marker, type TimelineRow } from "@/lib/ui/session-bands";
import { MARKER_STYLES, STATE_STYLES, type MarkerKind } from "@/lib/ui/state-palette";
import { tickStep, tickTimes } from "@/lib/ui/time-window";
import type { SessionLiveness } from "@/lib/ui/session-liveness";
import type { CanvasTheme } from "./canvas-theme";
import { formatClock, formatHourMinute, formatMonthDay } from "@/lib/ui/format-time";

export const ROW_HEIGHT = 26;
export const AXIS_HEIGHT = 24;
export const LABEL_WIDTH = 220;
/** Sessions listed for tests and screen readers, at most (the visible rows rarely hold more). */
const MAX_LISTED = 500;

export interface View {
  from: number;
  to: number;
  now: number;
  width: number;
  height: number;
  scrollTop: number;
}

/** One session as drawn: which of its bands and markers fell inside the window, on which row. */
export interface DrawnSession {
  sessionId: string;
  key: string;
  nodeId: string;
  /** Row index (0 = top row). */
  row: number;
  bands: Band[];
  markers: Marker[];
  /** Not known to be live (history, or unknown since the node's last poll): drawn grey from then on. */
  stale?: "history" | "unknown";
}

export interface DrawSummary {
  sessions: DrawnSession[];
  ticks: { t: number; label: string }[];
}

export interface DrawOptions {
  theme: CanvasTheme;
  hoverRow: number | null;
  /** Node restarts per node id: a tick across that node's rows. */
  restarts?: Map<string, number[]>;
  /** Draws a "⋯" on the hovered row's label: the gutter opens the row's menu. */
  rowMenu?: boolean;
  /** Whether a session is really live: a gone node's sessions are history, an unreachable one's unknown since its last poll. */
  liveness?: (s: PortSession) => SessionLiveness;
}

/** Colour of what is not known to be live: history rows, and an unreachable node's sessions since its last good poll. */
const STALE = "stale";
const STALE_HEX = "#64748b";

/** Where a session stops being drawn in its state colour (history: from the start; unknown: from the last good poll). */
function staleFrom(l: SessionLiveness | undefined, s: PortSession): number {
  if (l?.kind === "history") return -Infinity;
  if (l?.kind === "unknown") return l.since ?? s.lastEventAt;
  return Infinity;
}

export const xOf = (t: number, v: View) => LABEL_WIDTH + ((t - v.from) / (v.to - v.from)) * (v.width - LABEL_WIDTH);
export const tOf = (x: number, v: View) => v.from + ((x - LABEL_WIDTH) / (v.width - LABEL_WIDTH)) * (v.to - v.from);
const rowNode = (row: TimelineRow) => row.nodeId ?? row.sessions[0]?.nodeId ?? "";

export function visibleRowRange(rowCount: number, v: View): [number, number] {
  const first = Math.max(0, Math.floor(v.scrollTop / ROW_HEIGHT));
  const last = Math.min(rowCount, first + Math.ceil((v.height - AXIS_HEIGHT) / ROW_HEIGHT) + 1);
  return [first, last];
}

/** Axis labels in the viewer's zone: seconds for short steps, the date once the window spans days. */
export function formatTick(t: number, step: number, span: number): string {
  const d = new Date(t);
  if (step >= 86400e3) return formatMonthDay(d.getTime());
  if (span > 86400e3) return `${formatMonthDay(d.getTime())} ${formatHourMinute(d.getTime())}`;
  return step < 60e3 ? formatClock(d.getTime()) : formatHourMinute(d.getTime());
}

export function drawTimeline(ctx: CanvasRenderingContext2D, rows: TimelineRow[], v: View, o: DrawOptions): DrawSummary {
  const { theme } = o;
  ctx.fillStyle = theme.bg;
  ctx.fillRect(0, 0, v.width, v.height);
  const [first, last] = visibleRowRange(rows.length, v);
  const yOf = (i: number) => AXIS_HEIGHT + i * ROW_HEIGHT - v.scrollTop;
  const step = tickStep(v.to - v.from);
  const ticks = tickTimes(v.from, v.to, step, -new Date(v.from).getTimezoneOffset() * 60e3).filter((t) => xOf(t, v) >= LABEL_WIDTH + 20);

  // Grid first, under everything.
  ctx.fillStyle = theme.grid;
  for (const t of ticks) ctx.fillRect(Math.round(xOf(t, v)), AXIS_HEIGHT, 1, v.height - AXIS_HEIGHT);

  // Bands, batched per state colour; markers collected for one pass on top.
  const rects = new Map<string, [number, number, number, number][]>();
  const markers: (Marker & { x: number; y: number })[] = [];
  const drawn: DrawnSession[] = [];
  const restartTicks: [number, number][] = [];
  for (let i = first; i < last; i++) {
    const y = yOf(i);
    if (i === o.hoverRow) {
      ctx.fillStyle = theme.hover;
      ctx.fillRect(0, y, v.width, ROW_HEIGHT);
    }
    for (const s of rows[i].sessions) {
      if ((s.releasedAt ?? v.now) < v.from || s.openedAt > v.to) continue;
      const d: DrawnSession = { sessionId: s.id, key: s.key, nodeId: s.nodeId, row: i, bands: [], markers: [] };
      const liveness = o.liveness?.(s);
      const stale = staleFrom(liveness, s);
      if (liveness?.kind === "history" || liveness?.kind === "unknown") d.stale = liveness.kind;
      // A history row ends where its node's data ended, not at "now".
      const end = stale === -Infinity ? Math.min(v.now, s.lastEventAt) : v.now;
      for (const b of sessionBands(s, end)) {
        for (const [from, to, colour] of stale >= b.to ? [[b.from, b.to, b.state] as const] : stale <= b.from ? [[b.from, b.to, STALE] as const] : [[b.from, stale, b.state] as const, [stale, b.to, STALE] as const]) {
          const x0 = Math.max(LABEL_WIDTH, xOf(from, v));
          const x1 = Math.min(v.width, xOf(to, v));
          if (x1 - x0 < 0.5) continue;
          const list = rects.get(colour) ?? [];
          list.push([x0, y + 5, Math.max(1, x1 - x0), ROW_HEIGHT - 10]);
          rects.set(colour, list);
        }
        d.bands.push(b);
      }
      for (const m of sessionMarkers(s)) {
        const x = xOf(m.at, v);
        if (x < LABEL_WIDTH || x > v.width) continue;
        markers.push({ ...m, x, y: y + ROW_HEIGHT / 2 });
        d.markers.push(m);
      }
      if ((d.bands.length || d.markers.length) && drawn.length < MAX_LISTED) drawn.push(d);
    }
    for (const t of o.restarts?.get(rowNode(rows[i])) ?? []) {
      const x = xOf(t, v);
      if (x >= LABEL_WIDTH && x <= v.width) restartTicks.push([x, y]);
    }
  }
  for (const [state, list] of rects) {
    ctx.fillStyle = state === STALE ? STALE_HEX : STATE_STYLES[state as keyof typeof STATE_STYLES].hex;
    for (const r of list) ctx.fillRect(r[0], r[1], r[2], r[3]);
  }
  if (restartTicks.length) {
    ctx.strokeStyle = MARKER_STYLES.restart.hex;
    ctx.setLineDash([3, 2]);
    ctx.beginPath();
    for (const [x, y] of restartTicks) {
      ctx.moveTo(Math.round(x) + 0.5, y + 1);
      ctx.lineTo(Math.round(x) + 0.5, y + ROW_HEIGHT - 1);
    }
    ctx.stroke();
    ctx.setLineDash([]);
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  for (const m of markers) {
    const style = MARKER_STYLES[m.kind as MarkerKind];
    ctx.fillStyle = style.themed ? theme[style.themed] : style.hex;
    ctx.font = m.label ? "bold 11px ui-sans-serif, system-ui" : "11px ui-sans-serif, system-ui";
    ctx.fillText(m.label ?? style.glyph, m.x, m.y);
  }

  // Live edge.
  const xNow = xOf(v.now, v);
  if (xNow >= LABEL_WIDTH && xNow <= v.width) {
    ctx.strokeStyle = theme.now;
    ctx.beginPath();
    ctx.moveTo(xNow + 0.5, AXIS_HEIGHT);
    ctx.lineTo(xNow + 0.5, v.height);
    ctx.stroke();
  }

  // Sticky labels on an opaque gutter.
  ctx.fillStyle = theme.gutter;
  ctx.fillRect(0, AXIS_HEIGHT, LABEL_WIDTH, v.height);
  ctx.textAlign = "left";
  for (let i = first; i < last; i++) {
    const y = yOf(i);
    ctx.fillStyle = theme.label;
    ctx.font = "12px ui-monospace, monospace";
    ctx.fillText(rows[i].label.slice(0, 26), 8, y + 9);
    ctx.fillStyle = theme.sublabel;
    ctx.font = "10px ui-sans-serif, system-ui";
    ctx.fillText(rows[i].sublabel.slice(0, 34), 8, y + 20);
    if (o.rowMenu && i === o.hoverRow) {
      ctx.fillStyle = theme.label;
      ctx.font = "14px ui-sans-serif, system-ui";
      ctx.fillText("⋯", LABEL_WIDTH - 18, y + ROW_HEIGHT / 2);
    }
  }

  // Time axis.
  ctx.fillStyle = theme.gutter;
  ctx.fillRect(0, 0, v.width, AXIS_HEIGHT);
  ctx.fillStyle = theme.axis;
  ctx.font = "10px ui-sans-serif, system-ui";
  ctx.textAlign = "center";
  const labelled = ticks.map((t) => ({ t, label: formatTick(t, step, v.to - v.from) }));
  for (const { t, label } of labelled) {
    const x = xOf(t, v);
    ctx.fillText(label, x, AXIS_HEIGHT / 2);
    ctx.fillRect(x, AXIS_HEIGHT - 4, 1, 4);
  }
  return { sessions: drawn, ticks: labelled };
}

/** The session under the pointer: the band containing t on that row (with 6 px of slack for markers). */
export function sessionAt(row: TimelineRow | undefined, t: number, v: View): PortSession | null {
  if (!row) return null;
  const slack = (6 / (v.width - LABEL_WIDTH)) * (v.to - v.from);
  for (const s of row.sessions) {
    const end = s.releasedAt ?? v.now;
    if (t >= s.openedAt - slack && t <= end + slack) return s;
  }
  return null;
}

/** The marker of a session within 6 px of the pointer, if any. */
export function markerAt(s: PortSession, t: number, v: View): Marker | null {
  const slack = (6 / (v.width - LABEL_WIDTH)) * (v.to - v.from);
  let best: Marker | null = null;
  for (const m of sessionMarkers(s)) if (Math.abs(m.at - t) <= slack && (!best || Math.abs(m.at - t) < Math.abs(best.at - t))) best = m;
  return best;
}
