import { expect, test } from "@playwright/test";

/** The alerts page shows the configured rules and channels read-only, in English and 简体中文, without a channel's URL. */
test("alerts page lists the rules and channels in both languages", async ({ page }) => {
  await page.goto("/alerts?lang=en");
  const rules = page.getByTestId("alert-rules");
  await expect(rules).toContainText("Port pool nearly full (pool-nearly-full)");
  await expect(rules).toContainText("port_pool_used_ratio > 0.95");
  await expect(rules).toContainText("60 s");
  await expect(page.getByText("Nothing is pending or firing.")).toBeVisible();
  const channels = page.getByTestId("alert-channels");
  await expect(channels).toContainText("noc-wecom");
  await expect(channels).toContainText("127.0.0.1:9");
  await expect(page.locator("body")).not.toContainText("e2e-key");
  await expect(page.getByRole("link", { name: "Alerts" })).toBeVisible();

  await page.goto("/alerts?lang=zh");
  await expect(page.getByRole("heading", { name: "告警" })).toBeVisible();
  await expect(page.getByText("当前没有待触发或触发中的告警。")).toBeVisible();
  await expect(page.getByTestId("alert-rules")).toContainText("60 秒");
  await expect(page.getByTestId("alert-rules")).toContainText("严重");
});
