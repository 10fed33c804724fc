"use client";

import { useEffect, useRef, useState } from "react";

/**
 * `value`, but changing at most once per `everyMs` (the latest value wins at
 * the end of each period). Per-minute charts need not be recomputed, and
 * Recharts not re-rendered, for every SSE patch of the sessions list.
 */
export function useThrottled<T>(value: T, everyMs: number): T {
  const [shown, setShown] = useState(value);
  const lastAt = useRef(0);
  const latest = useRef(value);
  latest.current = value;
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const wait = Math.max(0, lastAt.current + everyMs - Date.now());
    const timer = setTimeout(() => {
      lastAt.current = Date.now();
      setShown(latest.current);
    }, wait);
    return () => clearTimeout(timer);
  }, [value, shown, everyMs]);
  return shown;
}
