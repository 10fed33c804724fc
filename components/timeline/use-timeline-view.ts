"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useRef } from "react";
import { useNow } from "@/lib/ui/use-now";
import { LIVE_PARAMS, parseTime, queryFrom, resolveWindow, windowParams, type TimeWindow } from "@/lib/ui/time-window";
import type { RangeKey } from "@/lib/ui/time-range";

export interface TimelineView {
  range: RangeKey;
  follow: boolean;
  rowMode: "key" | "port";
  node: string | undefined;
  kiosk: boolean;
  now: number;
  from: number;
  to: number;
  /** to - from: the preset's span, or the zoomed one. */
  span: number;
  /** Where the sessions query should start: `from` on a coarse grid, so a sliding window keeps its query key. */
  queryFrom: number;
  /** Sets (or, with null, removes) one URL parameter of the overview, keeping the others. */
  setParam(k: string, v: string | null): void;
  /** Sets several URL parameters at once. */
  setParams(changes: Record<string, string | null>): void;
  /** A fixed window (stops following live), or null to return to the live range. */
  setWindow(w: TimeWindow | null): void;
}

/** The overview's view state, all of it in the URL so a pasted link reproduces the view. */
export function useTimelineView(): TimelineView {
  const params = useSearchParams();
  const router = useRouter();
  const url = { range: params.get("range"), from: params.get("from"), to: params.get("to"), follow: params.get("follow") };
  const fixed = url.follow === "0" || (parseTime(url.from) !== null && parseTime(url.to) !== null);
  // The clock keeps running when not following: live rows still grow, only the window stays put.
  const now = useNow(1000);
  // An old `?follow=0` link without `to` stops the window where it was when the link was opened.
  const frozenAt = useRef<number | null>(null);
  frozenAt.current = fixed ? (frozenAt.current ?? now) : null;
  const win = resolveWindow(fixed && url.to === null ? { ...url, to: String(frozenAt.current) } : url, now);
  const setParams = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    router.replace(`/?${next.toString()}`, { scroll: false });
  };
  return {
    range: win.range,
    follow: win.follow,
    rowMode: params.get("rows") === "port" ? "port" : "key",
    node: params.get("node") ?? undefined,
    kiosk: params.get("kiosk") === "1",
    now,
    from: win.from,
    to: win.to,
    span: win.span,
    queryFrom: queryFrom(win.from, win.span),
    setParam: (k, v) => setParams({ [k]: v }),
    setParams,
    setWindow: (w) => setParams(w ? windowParams(w) : LIVE_PARAMS),
  };
}
