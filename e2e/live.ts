import { expect, type Locator, type Page } from "@playwright/test";

/**
 * Waits for the page's own readiness signal, the SSE link reporting "live"
 * (EventSource open), rather than a fixed few seconds: on a loaded machine
 * the first connect can take longer than Playwright's default 5 s. The
 * ceiling only stops a test that would never get there.
 */
export async function waitLive(page: Page): Promise<void> {
  await expect(page.getByTestId("stream-status")).toHaveAttribute("data-status", "live", { timeout: 60_000 });
}

/** Opens a path and waits until its live link is up. */
export async function openLive(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await waitLive(page);
}

/**
 * True when `buttons` matches at least one button and every one is disabled, read in one evaluation:
 * the live wall adds and drops rows, so a list of buttons taken first may name one gone by the time it is checked.
 */
export function allDisabled(buttons: Locator): Promise<boolean> {
  return buttons.evaluateAll((bs) => bs.length > 0 && bs.every((b) => (b as HTMLButtonElement).disabled));
}
