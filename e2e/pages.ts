import { expect, type Page } from "@playwright/test";
import { liveSession } from "./demo-sessions";
import { waitLive } from "./live";

/** Every page of the app, with the element that says its data arrived. */
export interface AppPage {
  name: (typeof PAGE_NAMES)[number];
  path: string;
  ready: string;
}

export const PAGE_NAMES = ["overview", "kiosk", "wall", "search", "stream", "port"] as const;

/** The pages, built around a live demo camera (present on both demo nodes). */
export async function appPages(page: Page): Promise<AppPage[]> {
  const s = await liveSession(page);
  return [
    { name: "overview", path: "/", ready: '[data-testid^="node-charts-"] .recharts-surface' },
    { name: "kiosk", path: "/?kiosk=1&rotate=0", ready: '[data-testid="kiosk-tiles"]' },
    { name: "wall", path: "/wall", ready: '[data-testid="port-wall"] [data-session-id]' },
    { name: "search", path: `/search?q=${encodeURIComponent(s.key.split("/").pop()!.slice(-6))}`, ready: '[data-testid="search-results"] li' },
    { name: "stream", path: `/streams/${s.key}`, ready: '[data-testid="event-table"] tbody tr' },
    { name: "port", path: `/ports/${encodeURIComponent(s.nodeId)}/${s.port}`, ready: '[data-testid="event-table"] tbody tr' },
  ];
}

/** Opens a page in a language and theme (both set by URL, as wall screens are) and waits for its data and live link. */
export async function openPage(page: Page, p: AppPage, lang: "en" | "zh", theme: "dark" | "light"): Promise<void> {
  await page.goto(`${p.path}${p.path.includes("?") ? "&" : "?"}lang=${lang}&theme=${theme}`);
  await waitLive(page);
  await expect(page.locator(p.ready).first()).toBeVisible({ timeout: 30_000 });
  await expect(page.locator("html")).toHaveAttribute("lang", lang === "zh" ? "zh-CN" : "en");
}

/** Console errors and uncaught exceptions from the moment this is called. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`uncaught: ${e.message}`));
  return errors;
}

/** Where the browser specs leave their screenshots (CI keeps test-results/ as an artefact). */
export const SCREENSHOTS = "test-results/screenshots";
