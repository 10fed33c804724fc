import { expect, test } from "@playwright/test";
import { liveSession } from "./demo-sessions";
import { waitLive } from "./live";
import { csrf } from "./auth";

/**
 * The overview's everyday quality against the real app in demo mode (two
 * emulated nodes): node cards, per-node charts, themes, toasts, error banners
 * and the wall screen's node rotation.
 */

test("node cards show uptime, hook freshness, poll latency and port pool use for each node", async ({ page }) => {
  await page.goto("/");
  for (const id of ["demo", "demo-2"]) {
    const card = page.getByTestId(`node-${id}`);
    await expect(card.getByTestId("node-state")).toHaveText("Online", { timeout: 15_000 });
    await expect(card.getByTestId("node-uptime")).toContainText("since");
    // The emulators post hooks (on_server_started, keepalives, the cameras' streams) to the lean listener.
    await expect(card).toHaveAttribute("data-hook-freshness", "fresh", { timeout: 15_000 });
    await expect(card.getByTestId("node-poll")).toContainText(/\d+ ms/);
    // Demo port range 30000-35000 split in two: 1250 even port pairs each.
    await expect(card.getByTestId("node-pool")).toContainText("/ 1250");
  }
  // demo-2 draws from 32500-34999, inside Linux's default ephemeral ports from 32768; demo (30000-32499) does not.
  await expect(page.getByTestId("node-demo-2").getByTestId("node-port-range-advice")).toContainText("32768-34999");
  await expect(page.getByTestId("node-demo").getByTestId("node-port-range-advice")).toHaveCount(0);
  await expect(page.getByTestId("node-charts-demo").locator(".recharts-surface").first()).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("node-charts-demo-2").locator(".recharts-surface").first()).toBeVisible();
  await page.screenshot({ path: "test-results/overview-dark.png", fullPage: true });

  // Narrowing to one node from its card puts it in the URL.
  await page.getByTestId("node-demo-2").getByRole("button", { name: /Demo ZLM 2/ }).click();
  await expect(page).toHaveURL(/node=demo-2/);
  await expect(page.getByTestId("node-charts-demo")).toHaveCount(0);
  await expect(page.getByTestId("node-charts-demo-2")).toBeVisible();
});

test("the light theme is one click away, sticks, and can be set by URL", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  const darkBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.getByTestId("theme-toggle").click();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  const lightBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(lightBg).not.toBe(darkBg);
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  await expect(page.getByTestId("timeline")).toBeVisible();
  await page.screenshot({ path: "test-results/overview-light.png", fullPage: true });
  await page.goto("/?theme=dark");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
});

test.describe("with a light system preference", () => {
  test.use({ colorScheme: "light" });
  test("the theme follows the system until the operator chooses", async ({ page }) => {
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  });
});

test("a finished action pops a toast", async ({ page }) => {
  await page.goto("/");
  await waitLive(page);
  const s = await liveSession(page);
  const streamId = s.key.split("/").slice(2).join("/");
  const res = await page.request.post(`/api/nodes/${s.nodeId}/rtp/close`, { data: { stream_id: streamId, vhost: s.key.split("/")[0], app: s.key.split("/")[1], reason: "e2e: toast check" }, headers: await csrf(page) });
  expect(res.ok()).toBe(true);
  const toast = page.getByTestId("toasts").locator("li").filter({ hasText: streamId });
  await expect(toast.first()).toBeVisible({ timeout: 5000 });
  await expect(toast.first()).toContainText("close");
  await page.screenshot({ path: "test-results/toast.png" });
});

test("a dropped live link shows a banner, and its return a toast", async ({ page }) => {
  await page.route("**/api/events", (route) => route.abort());
  await page.goto("/");
  await expect(page.getByTestId("banner-stream")).toBeVisible({ timeout: 10_000 });
  await expect(page.getByTestId("stream-status")).toHaveAttribute("data-status", "reconnecting");
  await page.screenshot({ path: "test-results/banner-stream.png" });
  await page.unroute("**/api/events");
  await waitLive(page);
  await expect(page.getByTestId("banner-stream")).toHaveCount(0);
  await expect(page.getByTestId("toasts")).toContainText("Live updates are back");
});

test("the wall screen rotates through the nodes", async ({ page }) => {
  await page.goto("/?kiosk=1&rotate=5");
  await expect(page.getByTestId("kiosk-bar")).toBeVisible();
  await expect(page).toHaveURL(/node=demo(&|$)/, { timeout: 20_000 });
  await expect(page.getByTestId("kiosk-node")).toContainText("node 1 of 2");
  await page.screenshot({ path: "test-results/kiosk-node-1.png", fullPage: true });
  await expect(page).toHaveURL(/node=demo-2/, { timeout: 20_000 });
  await expect(page.getByTestId("kiosk-node")).toContainText("node 2 of 2");
  await expect(page.getByTestId("node-demo")).toHaveCount(0);
  await page.screenshot({ path: "test-results/kiosk-node-2.png", fullPage: true });
});
