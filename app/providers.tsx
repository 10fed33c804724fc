"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { usePathname } from "next/navigation";
import { useState, type ReactNode } from "react";
import { EventStreamProvider } from "@/lib/queries/event-stream";
import { I18nProvider } from "@/lib/i18n/provider";
import { ToastProvider } from "@/components/ui/toaster";
import { SIGNIN_PATH } from "@/components/auth/signed-in-only";

/** One QueryClient and one SSE connection per browser tab (none on the sign-in page). */
export function Providers({ children }: { children: ReactNode }) {
  const signingIn = usePathname() === SIGNIN_PATH;
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 2000, refetchOnWindowFocus: true, retry: 1 } } }));
  return (
    <QueryClientProvider client={client}>
      <I18nProvider>
        {/* Signed out, /api/events answers 401: the sign-in page opens no stream. */}
        <EventStreamProvider enabled={!signingIn}>
          <ToastProvider>{children}</ToastProvider>
        </EventStreamProvider>
      </I18nProvider>
    </QueryClientProvider>
  );
}
