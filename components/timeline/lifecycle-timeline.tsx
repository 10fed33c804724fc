"use client";

import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { PortSession } from "@/lib/lifecycle/types";
import type { TimelineRow } from "@/lib/ui/session-bands";
import { STATE_STYLES } from "@/lib/ui/state-palette";
import { formatClock } from "@/lib/ui/format-time";
import { AXIS_HEIGHT, drawTimeline, LABEL_WIDTH, ROW_HEIGHT, sessionAt, tOf, type View } from "./draw-timeline";

interface Props {
  rows: TimelineRow[];
  from: number;
  to: number;
  now: number;
  height?: number;
  onSelect?: (s: PortSession) => void;
}

/**
 * The live timeline: one canvas for however many rows, redrawn on data,
 * scroll, resize and hover. A transparent scroller gives native scrolling
 * over a spacer as tall as all rows; only visible rows are drawn.
 */
export function LifecycleTimeline({ rows, from, to, now, height = 480, onSelect }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(900);
  const [scrollTop, setScrollTop] = useState(0);
  const [hover, setHover] = useState<{ row: number; x: number; y: number; session: PortSession | null } | null>(null);
  const view: View = { from, to, now, width, height, scrollTop };

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
      drawTimeline(ctx, rows, view, hover?.row ?? null);
      performance.measure?.("portscope:timeline-draw", { start: started, end: performance.now() });
    });
    return () => cancelAnimationFrame(frame);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rows, from, to, now, width, height, scrollTop, hover?.row]);

  const onMove = useCallback(
    (e: React.MouseEvent<HTMLDivElement>) => {
      const rect = e.currentTarget.getBoundingClientRect();
      const x = e.clientX - rect.left;
      const y = e.clientY - rect.top;
      if (y < AXIS_HEIGHT) return setHover(null);
      const row = Math.floor((y - AXIS_HEIGHT + scrollTop) / ROW_HEIGHT);
      const session = x > LABEL_WIDTH ? sessionAt(rows[row], tOf(x, view), view) : rows[row]?.sessions[0] ?? null;
      setHover({ row, x, y, session });
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [rows, scrollTop, from, to, now, width],
  );

  return (
    <div className="relative rounded-lg border border-slate-800 bg-slate-950" data-testid="timeline" data-rows={rows.length}>
      <canvas ref={canvas} style={{ width: "100%", height }} className="pointer-events-none absolute left-0 top-0" aria-hidden />
      <div
        ref={scroller}
        className="relative overflow-y-auto"
        style={{ height }}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        onMouseMove={onMove}
        onMouseLeave={() => setHover(null)}
        onClick={() => hover?.session && onSelect?.(hover.session)}
        role="grid"
        aria-label="Lifecycle timeline: one row per RTP key"
        aria-rowcount={rows.length}
      >
        <div style={{ height: AXIS_HEIGHT + rows.length * ROW_HEIGHT }} />
      </div>
      {hover?.session && <SessionTooltip session={hover.session} x={hover.x} y={hover.y} />}
      {rows.length === 0 && <EmptyTimeline />}
    </div>
  );
}

function SessionTooltip({ session: s, x, y }: { session: PortSession; x: number; y: number }) {
  return (
    <div className="pointer-events-none absolute z-10 w-72 rounded border border-slate-700 bg-slate-900 p-2 text-xs shadow-lg" style={{ left: Math.min(x + 12, 9999), top: y + 12 }} role="tooltip">
      <div className="font-mono">{s.key}</div>
      <div className="mt-1 flex items-center gap-2">
        <span className="inline-block h-2 w-2 rounded-full" style={{ background: STATE_STYLES[s.state].hex }} />
        {STATE_STYLES[s.state].label} · port {s.port ?? "?"} · {s.nodeId}
      </div>
      <dl className="mt-1 grid grid-cols-2 gap-x-2 text-slate-300">
        <dt>opened ({s.openedBy})</dt>
        <dd>{formatClock(s.openedAt, true)}</dd>
        <dt>first media</dt>
        <dd>{formatClock(s.firstMediaAt, true)}</dd>
        <dt>timed out</dt>
        <dd>{formatClock(s.timedOutAt, true)}</dd>
        <dt>closed</dt>
        <dd>{formatClock(s.closedAt, true)}</dd>
        <dt>released</dt>
        <dd>
          {formatClock(s.releasedAt, true)} {s.releaseConfirmedBy ? `(${s.releaseConfirmedBy})` : ""}
        </dd>
      </dl>
      {s.failure && <div className="mt-1 text-amber-300">ZLM {s.failure.code}: {s.failure.msg}</div>}
      {s.endCause && <div className="mt-1 text-slate-400">ended: {s.endCause}</div>}
    </div>
  );
}

export function TimelineLegend() {
  const { t } = useTranslation();
  return (
    <ul className="flex flex-wrap gap-3 text-xs text-slate-300" aria-label="Legend">
      {Object.entries(STATE_STYLES).map(([state, s]) => (
        <li key={state} className="flex items-center gap-1">
          <span className="inline-block h-3 w-3 rounded-sm" style={{ background: s.hex }} />
          {t(`state.${state}`)}
        </li>
      ))}
      <li>▲ open · ● first media · ✕ timeout · ■ close · | release · ! open failed</li>
    </ul>
  );
}

function EmptyTimeline() {
  const { t } = useTranslation();
  return <p className="absolute inset-0 flex items-center justify-center text-sm text-slate-400">{t("timeline.empty")}</p>;
}
