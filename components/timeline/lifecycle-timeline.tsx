"use client";

import { startTransition, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { PortSession } from "@/lib/lifecycle/types";
import { rowSession, type Marker, type TimelineRow } from "@/lib/ui/session-bands";
import { MARKER_ORDER, MARKER_STYLES, STATE_ORDER, STATE_STYLES } from "@/lib/ui/state-palette";
import type { TimeWindow } from "@/lib/ui/time-window";
import { canvasTheme, invalidateCanvasTheme } from "./canvas-theme";
import { useNodesQuery } from "@/lib/queries/nodes-query";
import { sessionLiveness } from "@/lib/ui/session-liveness";
import { AXIS_HEIGHT, drawTimeline, LABEL_WIDTH, markerAt, ROW_HEIGHT, sessionAt, tOf, type DrawSummary, type View } from "./draw-timeline";
import { DrawnMarks, markerCounts, summarySignature } from "./drawn-marks";
import { RowMenu } from "./row-menu";
import { SessionTooltip } from "./session-tooltip";
import { usePointerWindow } from "./use-pointer-window";

interface Props {
  rows: TimelineRow[];
  from: number;
  to: number;
  now: number;
  height?: number;
  onSelect?: (s: PortSession) => void;
  /** Zoom (wheel) and pan (drag) write the window here; without it the window is fixed. */
  onWindowChange?: (w: TimeWindow) => void;
  /** Double-click: back to the live range. */
  onReset?: () => void;
  /** Node restarts per node id, drawn across that node's rows. */
  restarts?: Map<string, number[]>;
  /** Clicking a row's label opens its menu (stream page, close, safe reopen). */
  rowActions?: boolean;
}

interface Hover {
  row: number;
  x: number;
  y: number;
  t: number;
  session: PortSession | null;
  marker: Marker | null;
}

/** A click that may be the first half of a double-click waits this long before opening the detail page. */
const DOUBLE_CLICK_MS = 250;
/** The DOM copy of what was drawn follows at most this often: under a burst of events it is the costly part. */
const DRAWN_LIST_EVERY_MS = 300;
const EMPTY: DrawSummary = { sessions: [], ticks: [] };

/** Redraws when the theme changes: `data-theme` on <html> switches the canvas colours too. */
function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const mo = new MutationObserver(() => {
      invalidateCanvasTheme();
      setVersion((v) => v + 1);
    });
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    return () => mo.disconnect();
  }, []);
  return version;
}

/**
 * The live timeline: one canvas for however many rows, redrawn on data,
 * scroll, resize, hover, zoom and theme. A transparent scroller gives native
 * scrolling over a spacer as tall as all rows; only visible rows are drawn.
 */
export function LifecycleTimeline({ rows, from, to, now, height = 480, onSelect, onWindowChange, onReset, restarts, rowActions = false }: Props) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(900);
  const [scrollTop, setScrollTop] = useState(0);
  const [hover, setHover] = useState<Hover | null>(null);
  const [menu, setMenu] = useState<{ row: number; session: PortSession } | null>(null);
  const [drawn, setDrawn] = useState<DrawSummary>(EMPTY);
  const drawnSignature = useRef("");
  const drawnTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const drawnNext = useRef<DrawSummary>(EMPTY);
  const pendingClick = useRef<ReturnType<typeof setTimeout> | null>(null);
  const themeVersion = useThemeVersion();
  const nodeList = useNodesQuery().data?.nodes;
  const pointer = usePointerWindow({ element: scroller, from, to, now, width, onWindowChange });
  const view: View = { from: pointer.win.from, to: pointer.win.to, now, width, height, scrollTop };

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const dpr = window.devicePixelRatio || 1;
    if (c.width !== width * dpr || c.height !== height * dpr) {
      c.width = width * dpr;
      c.height = height * dpr;
    }
    const ctx = c.getContext("2d");
    if (!ctx) return;
    const frame = requestAnimationFrame(() => {
      const started = performance.now();
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      const summary = drawTimeline(ctx, rows, view, { theme: canvasTheme(), hoverRow: hover?.row ?? null, restarts, rowMenu: rowActions, liveness: (s) => sessionLiveness(s, nodeList) });
      performance.measure?.("portscope:timeline-draw", { start: started, end: performance.now() });
      const signature = summarySignature(summary);
      if (signature !== drawnSignature.current) {
        drawnSignature.current = signature;
        drawnNext.current = summary;
        drawnTimer.current ??= setTimeout(() => {
          drawnTimer.current = null;
          startTransition(() => setDrawn(drawnNext.current));
        }, DRAWN_LIST_EVERY_MS);
      }
    });
    return () => cancelAnimationFrame(frame);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rows, view.from, view.to, now, width, height, scrollTop, hover?.row, restarts, rowActions, themeVersion, nodeList]);

  const onMove = useCallback(
    (e: React.PointerEvent<HTMLDivElement>) => {
      if (pointer.onPointerMove(e)) return setHover(null);
      const rect = e.currentTarget.getBoundingClientRect();
      const x = e.clientX - rect.left;
      const y = e.clientY - rect.top;
      if (y < AXIS_HEIGHT) return setHover(null);
      const row = Math.floor((y - AXIS_HEIGHT + scrollTop) / ROW_HEIGHT);
      const t = tOf(x, view);
      const session = x > LABEL_WIDTH ? sessionAt(rows[row], t, view) : rows[row] ? rowSession(rows[row]) : null;
      setHover({ row, x, y, t, session, marker: session && x > LABEL_WIDTH ? markerAt(session, t, view) : null });
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [rows, scrollTop, view.from, view.to, now, width, pointer.onPointerMove],
  );

  const onClick = (e: React.MouseEvent<HTMLDivElement>) => {
    if (pointer.justDragged()) return;
    // What is under the click itself, not the last hover: a tap on a touch screen, or a click after a
    // resize, comes with no pointer move before it.
    const rect = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    if (y < AXIS_HEIGHT) return;
    const row = Math.floor((y - AXIS_HEIGHT + scrollTop) / ROW_HEIGHT);
    if (rowActions && x < LABEL_WIDTH && rows[row]) {
      const session = rowSession(rows[row]);
      if (session) setMenu({ row, session });
      return;
    }
    const session = x > LABEL_WIDTH ? sessionAt(rows[row], tOf(x, view), view) : rows[row] ? rowSession(rows[row]) : null;
    if (!session || !onSelect) return;
    if (!onReset) return onSelect(session);
    if (pendingClick.current) clearTimeout(pendingClick.current);
    pendingClick.current = setTimeout(() => onSelect(session), DOUBLE_CLICK_MS);
  };
  const onDoubleClick = () => {
    if (pendingClick.current) clearTimeout(pendingClick.current);
    pendingClick.current = null;
    if (!onReset) return;
    pointer.cancelPreview();
    onReset();
  };
  useEffect(
    () => () => {
      if (pendingClick.current) clearTimeout(pendingClick.current);
      if (drawnTimer.current) clearTimeout(drawnTimer.current);
    },
    [],
  );

  // Rows move with SSE: show the hovered session as it is now, not as it was when the pointer arrived.
  const hovered = hover?.session ? (rows[hover.row]?.sessions.find((x) => x.id === hover.session!.id) ?? hover.session) : null;
  const menuTop = menu ? Math.min(height - 40, AXIS_HEIGHT + (menu.row + 1) * ROW_HEIGHT - scrollTop) : 0;
  return (
    <div className="relative rounded-lg border border-slate-800 bg-slate-950" data-testid="timeline" data-rows={rows.length} data-from={Math.round(view.from)} data-to={Math.round(view.to)} data-markers={markerCounts(drawn)}>
      <canvas ref={canvas} style={{ width: "100%", height }} className="pointer-events-none absolute left-0 top-0" aria-hidden />
      <div
        ref={scroller}
        className={`relative select-none overflow-y-auto ${onWindowChange ? "cursor-grab active:cursor-grabbing" : ""}`}
        style={{ height }}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        onPointerDown={pointer.onPointerDown}
        onPointerMove={onMove}
        onPointerUp={pointer.onPointerUp}
        onPointerCancel={pointer.onPointerUp}
        onPointerLeave={() => !pointer.dragging() && setHover(null)}
        onClick={onClick}
        onDoubleClick={onDoubleClick}
        role="grid"
        aria-label={t("timelineView.plotLabel")}
        aria-rowcount={rows.length}
        data-testid="timeline-plot"
      >
        <div style={{ height: AXIS_HEIGHT + rows.length * ROW_HEIGHT }} />
      </div>
      {hover && hovered && !menu && <SessionTooltip session={hovered} marker={hover.marker} at={hover.t} now={now} left={Math.max(0, Math.min(hover.x + 12, width - 330))} top={hover.y + 12} />}
      {menu && <RowMenu session={menu.session} top={menuTop} onDismiss={() => setMenu(null)} />}
      <DrawnMarks summary={drawn} />
      {rows.length === 0 && <EmptyTimeline />}
    </div>
  );
}

export function TimelineLegend() {
  const { t } = useTranslation();
  return (
    <ul className="flex flex-wrap gap-3 text-xs text-slate-300" aria-label={t("timelineView.legend")} data-testid="timeline-legend">
      {STATE_ORDER.map((state) => (
        <li key={state} className="flex items-center gap-1" data-state={state}>
          <span className="inline-block h-3 w-3 rounded-sm" style={{ background: STATE_STYLES[state].hex }} />
          {t(`state.${state}`)}
        </li>
      ))}
      {MARKER_ORDER.map((kind) => (
        <li key={kind} className="flex items-center gap-1" data-marker={kind}>
          <span style={{ color: MARKER_STYLES[kind].themed ? undefined : MARKER_STYLES[kind].hex }}>{MARKER_STYLES[kind].glyph}</span>
          {t(`timelineView.marker.${kind}`)}
        </li>
      ))}
      <li className="flex items-center gap-1" data-marker="restart-tick">
        <span style={{ color: MARKER_STYLES.restart.hex }}>┆</span>
        {t("timelineView.restartTick")}
      </li>
    </ul>
  );
}

function EmptyTimeline() {
  const { t } = useTranslation();
  return <p className="pointer-events-none absolute inset-0 flex items-center justify-center text-sm text-slate-400">{t("timeline.empty")}</p>;
}
