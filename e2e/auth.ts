import type { APIRequestContext, BrowserContext, Page } from "@playwright/test";

/**
 * Signing in for browser tests: the app runs in demo mode, whose built-in
 * accounts (viewer, operator, admin; password "demo") the sign-in page shows.
 * e2e/auth.setup.ts signs each in once and saves its cookies; specs run as
 * admin (playwright.config.ts) unless they pick another role's state.
 */
export type Role = "viewer" | "operator" | "admin";
export const DEMO_PASSWORD = "demo";
export const storageStateOf = (role: Role) => `test-results/auth/${role}.json`;

export async function signIn(request: APIRequestContext, role: Role): Promise<void> {
  const res = await request.post("/api/auth/signin", { data: { user: role, password: DEMO_PASSWORD } });
  if (!res.ok()) throw new Error(`sign-in as ${role} answered ${res.status()}: ${await res.text()}`);
}

/** The CSRF header a state-changing call needs: the readable portscope_csrf cookie, copied (as the app's own fetches do). */
export async function csrf(target: Page | BrowserContext): Promise<Record<string, string>> {
  const context = "context" in target ? target.context() : target;
  const cookie = (await context.cookies()).find((c) => c.name === "portscope_csrf");
  return cookie ? { "x-csrf-token": cookie.value } : {};
}
