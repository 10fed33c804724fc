"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { parseRange, RANGES, type RangeKey } from "@/lib/ui/time-range";
import { useNow } from "@/lib/ui/use-now";

export interface TimelineView {
  range: RangeKey;
  follow: boolean;
  rowMode: "key" | "port";
  node: string | undefined;
  kiosk: boolean;
  now: number;
  from: number;
  to: number;
  /** Sets (or, with null, removes) one URL parameter of the overview, keeping the others. */
  setParam(k: string, v: string | null): void;
}

/** The overview's view state, all of it in the URL so a pasted link reproduces the view. */
export function useTimelineView(): TimelineView {
  const params = useSearchParams();
  const router = useRouter();
  const range = parseRange(params.get("range"));
  const follow = params.get("follow") !== "0";
  const now = useNow(1000, follow);
  const to = follow ? now : Number(params.get("to")) || now;
  const setParam = (k: string, v: string | null) => {
    const next = new URLSearchParams(params.toString());
    if (v === null) next.delete(k);
    else next.set(k, v);
    router.replace(`/?${next.toString()}`, { scroll: false });
  };
  return {
    range,
    follow,
    rowMode: params.get("rows") === "port" ? "port" : "key",
    node: params.get("node") ?? undefined,
    kiosk: params.get("kiosk") === "1",
    now,
    from: to - RANGES[range],
    to,
    setParam,
  };
}
