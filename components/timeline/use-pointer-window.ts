"use client";

import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import { panBy, wheelFactor, zoomAt, type TimeWindow } from "@/lib/ui/time-window";
import { LABEL_WIDTH, tOf, type View } from "./draw-timeline";

/** Wheel bursts and drags are previewed locally and written to the URL once they settle. */
const COMMIT_AFTER_MS = 250;
const DRAG_THRESHOLD_PX = 4;

interface Options {
  element: RefObject<HTMLDivElement | null>;
  from: number;
  to: number;
  now: number;
  width: number;
  /** Absent: the window is fixed (no zoom, no pan). */
  onWindowChange?: (w: TimeWindow) => void;
}

/**
 * Zoom (wheel over the time area, around the pointer) and pan (drag) of the
 * timeline's window. The wheel over the label gutter, or with Shift, still
 * scrolls the rows. Returns the window to draw and whether a drag just ended
 * (so that mouse-up is not also a click).
 */
export function usePointerWindow({ element, from, to, now, width, onWindowChange }: Options) {
  const [preview, setPreview] = useState<TimeWindow | null>(null);
  const win = preview ?? { from, to };
  const latest = useRef({ win, now, width, onWindowChange });
  latest.current = { win, now, width, onWindowChange };
  const committed = useRef<TimeWindow | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const drag = useRef<{ x: number; start: TimeWindow; moved: boolean } | null>(null);
  const justDragged = useRef(false);

  const commit = useCallback((w: TimeWindow) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    committed.current = w;
    latest.current.onWindowChange?.(w);
    // The URL normally catches up at once; never keep a stale preview for long.
    setTimeout(() => committed.current === w && ((committed.current = null), setPreview(null)), 2000);
  }, []);

  // The URL now says what was previewed: draw from it again.
  useEffect(() => {
    const c = committed.current;
    if (c && Math.abs(c.from - from) < 2 && Math.abs(c.to - to) < 2) {
      committed.current = null;
      setPreview(null);
    }
  }, [from, to]);

  const enabled = onWindowChange !== undefined;
  useEffect(() => {
    const el = element.current;
    if (!el || !enabled) return;
    const onWheel = (e: WheelEvent) => {
      const x = e.clientX - el.getBoundingClientRect().left;
      if (x < LABEL_WIDTH || e.shiftKey || e.deltaY === 0) return;
      e.preventDefault();
      const { win: w, now: n, width: wd } = latest.current;
      const view: View = { ...w, now: n, width: wd, height: 0, scrollTop: 0 };
      const next = zoomAt(w, tOf(x, view), wheelFactor(e.deltaY, e.deltaMode), n);
      // A newer preview than the last commit: that commit's URL arriving must not reset it.
      committed.current = null;
      setPreview(next);
      latest.current.win = next;
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => commit(next), COMMIT_AFTER_MS);
    };
    el.addEventListener("wheel", onWheel, { passive: false });
    return () => el.removeEventListener("wheel", onWheel);
  }, [element, enabled, commit]);

  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>) => {
    const x = e.clientX - e.currentTarget.getBoundingClientRect().left;
    if (!onWindowChange || e.button !== 0 || x < LABEL_WIDTH) return;
    drag.current = { x: e.clientX, start: latest.current.win, moved: false };
  };
  const onPointerMove = (e: React.PointerEvent<HTMLDivElement>): boolean => {
    const d = drag.current;
    if (!d) return false;
    const dx = e.clientX - d.x;
    if (!d.moved && Math.abs(dx) < DRAG_THRESHOLD_PX) return false;
    if (!d.moved) e.currentTarget.setPointerCapture?.(e.pointerId);
    d.moved = true;
    const { now: n, width: wd } = latest.current;
    const next = panBy(d.start, (-dx / Math.max(1, wd - LABEL_WIDTH)) * (d.start.to - d.start.from), n);
    latest.current.win = next;
    committed.current = null;
    setPreview(next);
    return true;
  };
  const onPointerUp = () => {
    const d = drag.current;
    drag.current = null;
    if (!d?.moved) return;
    justDragged.current = true;
    setTimeout(() => (justDragged.current = false), 0);
    commit(latest.current.win);
  };
  const cancelPreview = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    committed.current = null;
    setPreview(null);
  };

  return { win, dragging: () => drag.current?.moved === true, justDragged: () => justDragged.current, onPointerDown, onPointerMove, onPointerUp, cancelPreview };
}
