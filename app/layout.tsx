import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";
import { Providers } from "./providers";

export const metadata: Metadata = {
  title: "Portscope",
  description: "Every RTP port's life on your ZLMediaKit nodes, visible and fixable.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-950 text-slate-100 antialiased">
        <Providers>
          <header className="flex items-center gap-3 border-b border-slate-800 px-6 py-3">
            <span className="text-lg font-semibold tracking-tight">Portscope</span>
            <span className="text-sm text-slate-400">RTP ports on ZLMediaKit</span>
          </header>
          <main className="px-6 py-5">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
