"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";

/** Everything a support link must reproduce: the selected session, the kind filter, the time range, the opened event. */
export interface InvestigationView {
  session: string | null;
  kind: string | null;
  from: number | null;
  to: number | null;
  event: number | null;
}

const ms = (v: string | null) => (v && /^\d+$/.test(v) ? Number(v) : null);

export function useInvestigationView(): [InvestigationView, (patch: Partial<InvestigationView>) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const view: InvestigationView = { session: params.get("session"), kind: params.get("kind"), from: ms(params.get("from")), to: ms(params.get("to")), event: ms(params.get("event")) };
  const update = (patch: Partial<InvestigationView>) => {
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === undefined || v === "") next.delete(k);
      else next.set(k, String(v));
    }
    const qs = next.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  };
  return [view, update];
}
