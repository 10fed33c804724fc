"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { EventStreamProvider } from "@/lib/queries/event-stream";
import { I18nProvider } from "@/lib/i18n/provider";
import { ToastProvider } from "@/components/ui/toaster";

/** One QueryClient and one SSE connection per browser tab. */
export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 2000, refetchOnWindowFocus: true, retry: 1 } } }));
  return (
    <QueryClientProvider client={client}>
      <I18nProvider>
        <EventStreamProvider>
          <ToastProvider>{children}</ToastProvider>
        </EventStreamProvider>
      </I18nProvider>
    </QueryClientProvider>
  );
}
