/**
 * Canvas drawing of the lifecycle timeline, Grafana-state-timeline style:
 * only the visible rows are drawn, boxes are batched per colour, labels are
 * drawn last on an opaque gutter so they stay put while time scrolls.
 */
import type { PortSession } from "@/lib/lifecycle/types";
import { sessionBands, sessionMarkers, type TimelineRow } from "@/lib/ui/session-bands";
import { MARKER_STYLES, STATE_STYLES } from "@/lib/ui/state-palette";

export const ROW_HEIGHT = 26;
export const AXIS_HEIGHT = 24;
export const LABEL_WIDTH = 220;

export interface View {
  from: number;
  to: number;
  now: number;
  width: number;
  height: number;
  scrollTop: number;
}

export const xOf = (t: number, v: View) => LABEL_WIDTH + ((t - v.from) / (v.to - v.from)) * (v.width - LABEL_WIDTH);
export const tOf = (x: number, v: View) => v.from + ((x - LABEL_WIDTH) / (v.width - LABEL_WIDTH)) * (v.to - v.from);

export function visibleRowRange(rowCount: number, v: View): [number, number] {
  const first = Math.max(0, Math.floor(v.scrollTop / ROW_HEIGHT));
  const last = Math.min(rowCount, first + Math.ceil((v.height - AXIS_HEIGHT) / ROW_HEIGHT) + 1);
  return [first, last];
}

function tickStep(spanMs: number): number {
  const steps = [1e3, 5e3, 15e3, 30e3, 60e3, 300e3, 900e3, 1800e3, 3600e3, 3 * 3600e3, 6 * 3600e3, 12 * 3600e3, 86400e3];
  return steps.find((s) => spanMs / s <= 8) ?? 86400e3;
}

export function drawTimeline(ctx: CanvasRenderingContext2D, rows: TimelineRow[], v: View, hoverRow: number | null): void {
  ctx.clearRect(0, 0, v.width, v.height);
  const [first, last] = visibleRowRange(rows.length, v);
  const yOf = (i: number) => AXIS_HEIGHT + i * ROW_HEIGHT - v.scrollTop;

  // Bands, batched per state colour.
  const rects = new Map<string, [number, number, number, number][]>();
  const markers: { x: number; y: number; kind: keyof typeof MARKER_STYLES }[] = [];
  for (let i = first; i < last; i++) {
    const y = yOf(i);
    if (i === hoverRow) {
      ctx.fillStyle = "rgba(255,255,255,0.06)";
      ctx.fillRect(0, y, v.width, ROW_HEIGHT);
    }
    for (const s of rows[i].sessions) {
      if ((s.releasedAt ?? v.now) < v.from || s.openedAt > v.to) continue;
      for (const b of sessionBands(s, v.now)) {
        const x0 = Math.max(LABEL_WIDTH, xOf(b.from, v));
        const x1 = Math.min(v.width, xOf(b.to, v));
        if (x1 - x0 < 0.5) continue;
        const list = rects.get(b.state) ?? [];
        list.push([x0, y + 5, Math.max(1, x1 - x0), ROW_HEIGHT - 10]);
        rects.set(b.state, list);
      }
      for (const m of sessionMarkers(s)) {
        const x = xOf(m.at, v);
        if (x >= LABEL_WIDTH && x <= v.width) markers.push({ x, y: y + ROW_HEIGHT / 2, kind: m.kind });
      }
    }
  }
  for (const [state, list] of rects) {
    ctx.fillStyle = STATE_STYLES[state as keyof typeof STATE_STYLES].hex;
    for (const r of list) ctx.fillRect(r[0], r[1], r[2], r[3]);
  }
  ctx.font = "11px ui-sans-serif, system-ui";
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  for (const m of markers) {
    ctx.fillStyle = MARKER_STYLES[m.kind].hex;
    ctx.fillText(MARKER_STYLES[m.kind].glyph, m.x, m.y);
  }

  // Live edge.
  const xNow = xOf(v.now, v);
  if (xNow >= LABEL_WIDTH && xNow <= v.width) {
    ctx.strokeStyle = "#f87171";
    ctx.beginPath();
    ctx.moveTo(xNow + 0.5, AXIS_HEIGHT);
    ctx.lineTo(xNow + 0.5, v.height);
    ctx.stroke();
  }

  // Sticky labels on an opaque gutter.
  ctx.fillStyle = "#0b1120";
  ctx.fillRect(0, AXIS_HEIGHT, LABEL_WIDTH, v.height);
  ctx.textAlign = "left";
  for (let i = first; i < last; i++) {
    const y = yOf(i);
    ctx.fillStyle = "#e2e8f0";
    ctx.font = "12px ui-monospace, monospace";
    ctx.fillText(rows[i].label.slice(0, 26), 8, y + 9);
    ctx.fillStyle = "#94a3b8";
    ctx.font = "10px ui-sans-serif, system-ui";
    ctx.fillText(rows[i].sublabel.slice(0, 34), 8, y + 20);
  }

  // Time axis.
  ctx.fillStyle = "#0f172a";
  ctx.fillRect(0, 0, v.width, AXIS_HEIGHT);
  const step = tickStep(v.to - v.from);
  ctx.fillStyle = "#94a3b8";
  ctx.font = "10px ui-sans-serif, system-ui";
  ctx.textAlign = "center";
  for (let t = Math.ceil(v.from / step) * step; t <= v.to; t += step) {
    const x = xOf(t, v);
    if (x < LABEL_WIDTH + 20) continue;
    const d = new Date(t);
    const label = step >= 86400e3 ? d.toLocaleDateString() : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: step < 60e3 ? "2-digit" : undefined, hour12: false });
    ctx.fillText(label, x, AXIS_HEIGHT / 2);
    ctx.fillRect(x, AXIS_HEIGHT - 4, 1, 4);
  }
}

/** The session under the pointer: the band containing t on that row, else the nearest marker within 6 px. */
export function sessionAt(row: TimelineRow | undefined, t: number, v: View): PortSession | null {
  if (!row) return null;
  const slack = (6 / (v.width - LABEL_WIDTH)) * (v.to - v.from);
  for (const s of row.sessions) {
    const end = s.releasedAt ?? v.now;
    if (t >= s.openedAt - slack && t <= end + slack) return s;
  }
  return null;
}
