"use client";

import { useSyncExternalStore, type ReactNode } from "react";
import { PageLoading } from "@/components/investigation/page-loading";

const subscribe = () => () => {};

/**
 * Renders the page body only in the browser, after hydration. Everything in it
 * depends on the viewer (language, zone, the clock, live data fetched by the
 * browser), so a server rendering would differ from the first browser one and
 * React would report a hydration mismatch (#418). The server sends the loading
 * skeleton instead; the snapshot flips to true right after hydration.
 */
export function AfterHydration({ children }: { children: ReactNode }) {
  const hydrated = useSyncExternalStore(subscribe, () => true, () => false);
  return hydrated ? children : <PageLoading textKey="page.loading" />;
}
