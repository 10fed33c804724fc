import { expect, test, type Page } from "@playwright/test";
import { liveSession } from "./demo-sessions";
import { waitLive } from "./live";
import { SCREENSHOTS } from "./pages";

/**
 * The wall screen (?kiosk=1) on a 1920x1080 wall and the port wall's columns:
 * what a NOC reads from across the room must be on screen without scrolling,
 * and a column's cells must sit under its header.
 */

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
const inside = (inner: Box, outer: Box) => inner.x >= outer.x - 0.5 && inner.x + inner.width <= outer.x + outer.width + 0.5 && inner.y >= outer.y - 0.5 && inner.y + inner.height <= outer.y + outer.height + 0.5;

async function openIncidentsFromApi(page: Page): Promise<number> {
  const { incidents } = (await (await page.request.get("/api/incidents")).json()) as { incidents: { state: string }[] };
  return incidents.filter((i) => i.state !== "resolved").length;
}

for (const theme of ["dark", "light"] as const) {
  test(`kiosk at 1920x1080 (${theme}): every node tile and every open incident on screen without scrolling`, async ({ page }) => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await liveSession(page);
    await page.goto(`/?kiosk=1&theme=${theme}`);
    await waitLive(page);
    const tiles = page.getByTestId("kiosk-tile");
    await expect(tiles).toHaveCount(2); // the demo's two nodes
    await expect(tiles.first()).toHaveAttribute("data-reachability", "online", { timeout: 15_000 });
    await expect(tiles.first().getByTestId("kiosk-ports")).toContainText(/\d/);
    // No zoom/pan hints on a screen nobody touches; the header bar is the kiosk's own.
    await expect(page.getByText(/Wheel: zoom/)).toHaveCount(0);
    await expect(page.locator('[data-role="app-header"]')).toBeHidden();
    const viewport: Box = { x: 0, y: 0, width: 1920, height: 1080 };
    const open = page.locator('[data-testid="incidents"] [data-testid="incident"]');
    // The list shows what the server counts as open (acknowledged and silenced ones included), none folded away.
    await expect.poll(async () => (await open.count()) === Math.min(await openIncidentsFromApi(page), 24 * 3), { timeout: 15_000 }).toBe(true);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    // Every tile and card measured in one read: an incident may resolve or appear between separate reads.
    const boxes = await page.locator('[data-testid="kiosk-tile"], [data-testid="incidents"] [data-testid="incident"]').evaluateAll((els) =>
      els.map((el) => {
        const r = el.getBoundingClientRect();
        return { what: el.getAttribute("data-node") ?? el.getAttribute("data-type") ?? "", box: { x: r.x, y: r.y, width: r.width, height: r.height } };
      }),
    );
    expect(boxes.length).toBeGreaterThan(0);
    for (const { what, box } of boxes) expect(inside(box, viewport), `${what} at ${JSON.stringify(box)}`).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/kiosk-1920x1080-${theme}.png` });
  });
}

test("kiosk at 3840x2160 doubles the type and keeps the tiles above the fold", async ({ page }) => {
  await page.setViewportSize({ width: 3840, height: 2160 });
  await page.goto("/?kiosk=1");
  await waitLive(page);
  await expect(page.getByTestId("kiosk-tile")).toHaveCount(2);
  expect(await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize))).toBeGreaterThanOrEqual(32);
  for (const el of await page.getByTestId("kiosk-tile").all()) expect(inside((await el.boundingBox())!, { x: 0, y: 0, width: 3840, height: 2160 })).toBe(true);
  await page.screenshot({ path: `${SCREENSHOTS}/kiosk-3840x2160-dark.png` });
});

for (const lang of ["en", "zh"] as const) {
  test(`wall columns line up (${lang}): each cell lies inside its column header's box and nothing overflows its cell`, async ({ page }) => {
    await page.setViewportSize({ width: 1600, height: 1000 });
    await liveSession(page);
    await page.goto(`/wall?lang=${lang}`);
    await waitLive(page);
    const wall = page.getByTestId("port-wall");
    await expect(wall.locator("tbody tr[data-session-id]").first()).toBeVisible({ timeout: 30_000 });
    const report = await wall.evaluate((table) => {
      const heads = [...table.querySelectorAll("thead th")].map((th) => th.getBoundingClientRect());
      const problems: string[] = [];
      let cells = 0;
      for (const tr of table.querySelectorAll("tbody tr[data-session-id]")) {
        [...tr.querySelectorAll("td")].forEach((td, i) => {
          cells++;
          const c = td.getBoundingClientRect();
          const h = heads[i];
          if (!h || c.left < h.left - 0.5 || c.right > h.right + 0.5) problems.push(`${tr.getAttribute("data-key")} col ${i}: cell ${c.left}-${c.right} vs header ${h?.left}-${h?.right}`);
          // Content wider than its cell would run into the next column (the "333360" of port + tcp_mode).
          for (const child of td.querySelectorAll("*")) {
            const b = child.getBoundingClientRect();
            if (b.width > 0 && (b.left < c.left - 0.5 || b.right > c.right + 0.5) && getComputedStyle(td).overflow !== "hidden") problems.push(`${tr.getAttribute("data-key")} col ${i}: content ${b.left}-${b.right} outside ${c.left}-${c.right}`);
          }
        });
      }
      const sticky = getComputedStyle(table.querySelector("thead")!).position;
      const numeric = getComputedStyle(table).fontVariantNumeric;
      // Every action button inside the viewport's width (in 简体中文 they were cut off at the right edge). Read in this
      // same snapshot: a live row can end between two Playwright calls, and its button's box is then gone.
      const buttons = [...table.querySelectorAll('[data-testid="action-reopen"]')].map((b) => b.getBoundingClientRect().right);
      return { problems, cells, headers: heads.length, sticky, numeric, buttons };
    });
    expect(report.headers).toBe(10);
    expect(report.cells).toBeGreaterThan(10);
    expect(report.problems).toEqual([]);
    expect(report.sticky).toBe("sticky");
    expect(report.numeric).toContain("tabular-nums");
    expect(report.buttons.length).toBeGreaterThan(0);
    for (const right of report.buttons) expect(right).toBeLessThanOrEqual(1600);
    await page.screenshot({ path: `${SCREENSHOTS}/wall-columns-${lang}.png` });
  });
}
