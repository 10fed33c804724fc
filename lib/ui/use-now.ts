"use client";

import { useEffect, useState } from "react";

/** The current time, re-rendered every `everyMs` while `running`: the live edge of the timeline. */
export function useNow(everyMs = 1000, running = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs, running]);
  return now;
}
