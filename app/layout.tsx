import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import "./globals.css";
import { Providers } from "./providers";
import { SearchBox } from "@/components/ui/search-box";
import { StreamStatusBadge } from "@/components/ui/stream-status";
import { AppNav } from "@/components/ui/app-nav";
import { LanguageSwitch } from "@/components/i18n/language-switch";
import { ThemeToggle } from "@/components/ui/theme-toggle";
import { ConnectionBanner } from "@/components/ui/connection-banner";
import { LiveNotifier } from "@/components/ui/live-notifier";
import { UserMenu } from "@/components/auth/user-menu";
import { SignedInOnly } from "@/components/auth/signed-in-only";
import { AfterHydration } from "@/components/ui/after-hydration";
import { THEME_BOOT_SCRIPT } from "@/lib/ui/theme";

export const metadata: Metadata = {
  title: "Portscope",
  description: "Every RTP port's life on your ZLMediaKit nodes, visible and fixable.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" data-theme="dark" suppressHydrationWarning>
      <head>
        {/* Sets data-theme before first paint, so a light-theme wall screen never flashes dark. */}
        <script dangerouslySetInnerHTML={{ __html: THEME_BOOT_SCRIPT }} />
      </head>
      <body className="min-h-screen bg-slate-950 text-slate-100 antialiased">
        <Providers>
          <header className="flex flex-wrap items-center gap-4 border-b border-slate-800 px-6 py-3" data-role="app-header">
            <Link href="/" className="text-lg font-semibold tracking-tight">
              Portscope
            </Link>
            <AppNav />
            <div className="ml-auto flex items-center gap-3">
              {/* Searching and the live link need a session: on the sign-in page they could only say 401 or "Connecting…". */}
              <SignedInOnly>
                <SearchBox />
                <StreamStatusBadge />
              </SignedInOnly>
              <ThemeToggle />
              <LanguageSwitch />
              <UserMenu />
            </div>
          </header>
          <SignedInOnly>
            <ConnectionBanner />
            <LiveNotifier />
          </SignedInOnly>
          <main className="px-6 py-5">
            <AfterHydration>{children}</AfterHydration>
          </main>
        </Providers>
      </body>
    </html>
  );
}
