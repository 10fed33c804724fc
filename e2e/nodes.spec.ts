import { expect, test } from "@playwright/test";

test("the dashboard shows the demo emulator node online with its version", async ({ page }) => {
  await page.goto("/");
  const node = page.getByTestId("node-demo");
  // The page body renders after hydration (components/ui/after-hydration.tsx): on a loaded box that can take a while.
  await expect(node).toBeVisible({ timeout: 30_000 });
  await expect(node.getByTestId("node-state")).toHaveText("Online");
  await expect(node.getByTestId("node-version")).toContainText("fdaec26");
  await expect(node.getByTestId("node-version")).toContainText("master");
  await page.screenshot({ path: "test-results/nodes.png", fullPage: true });
});

test("the nodes API never sends a secret to the browser", async ({ request }) => {
  const res = await request.get("/api/nodes");
  expect(res.ok()).toBe(true);
  const text = await res.text();
  expect(text.toLowerCase()).not.toContain("secret");
  const body = JSON.parse(text) as { nodes: { id: string; online: boolean; url: string }[] };
  // Demo mode runs two emulated nodes by default, each on its own slice of the port range.
  expect(body.nodes.map((n) => n.id)).toEqual(["demo", "demo-2"]);
  for (const n of body.nodes) {
    expect(n.online).toBe(true);
    expect(n.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  }
});
