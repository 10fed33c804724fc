"use client";

import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

/** The sign-in page's path: nothing that needs a session (live stream, node polling) runs there. */
export const SIGNIN_PATH = "/signin";

/** Renders its children everywhere but the sign-in page, where their API calls could only answer 401. */
export function SignedInOnly({ children }: { children: ReactNode }) {
  return usePathname() === SIGNIN_PATH ? null : <>{children}</>;
}
