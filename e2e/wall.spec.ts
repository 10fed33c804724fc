import { expect, test, type Locator, type Page } from "@playwright/test";
import { allDisabled } from "./live";

/**
 * The port wall and the investigation pages against the real app in demo
 * mode: the emulator's simulated cameras send real RTP, so getMediaList
 * reports real receive rates.
 */
const ENGLISH_HEADERS = ["Stream", "Node", "Port", "State", "Receiving", "Age vs timeout", "Anomalies", "Actions", "Time", "Kind", "Source", "Detail", "Opened", "First media", "Timed out", "Closed", "Released", "Cause"];
/** ZLM's own terms stay as they are in every language. */
const ZLM_TERMS = /\b(?:tcp_mode|SSRC|hook_index)\b/g;

async function receivingRow(page: Page): Promise<Locator> {
  const row = page.getByTestId("port-wall").locator('tbody tr[data-state="receiving"]').first();
  await expect(row).toBeVisible({ timeout: 30_000 });
  return row;
}

async function headerTexts(table: Locator): Promise<string[]> {
  return table.locator("thead th").allTextContents();
}

test("the wall shows a bytes/s figure for a receiving demo camera", async ({ page }) => {
  await page.goto("/wall");
  await expect(page.getByTestId("wall-time")).toContainText("live");
  // A camera may pause (0 B/s): wait for one that is sending.
  const rate = page.getByTestId("port-wall").locator('tbody tr[data-state="receiving"] [data-testid="wall-rate"]:not([data-bytes-speed="0"]):not([data-bytes-speed=""])').filter({ hasText: /\d.* (?:k|M)?B\/s/ }).first();
  await expect(rate).toBeVisible({ timeout: 30_000 });
  expect(Number(await rate.getAttribute("data-bytes-speed"))).toBeGreaterThan(0);
  await expect(rate).toContainText("bit/s");
  // The rates come from the pollers' memory, through a read route that never carries the secret.
  const media = await page.request.get("/api/media");
  expect(media.ok()).toBe(true);
  expect((await media.text()).toLowerCase()).not.toContain("secret");
  expect((await page.request.get("/api/media?bogus=1")).status()).toBe(422);
  // Busiest first, kept in the URL with the filter.
  await page.getByTestId("wall-sort").selectOption("rate");
  await expect(page).toHaveURL(/sort=rate/);
  // Rates are live (a refetch every 2 s re-sorts the rows), so read the order until one read is settled.
  const speedsNow = () => page.getByTestId("port-wall").locator('tbody tr[data-session-id] [data-testid="wall-rate"]').evaluateAll((cells) => cells.map((c) => Number(c.getAttribute("data-bytes-speed") || -1)));
  await expect.poll(async () => { const speeds = await speedsNow(); return speeds.length > 1 && speeds.every((v, i) => i === 0 || speeds[i - 1] >= v); }, { timeout: 10_000 }).toBe(true);
  await page.screenshot({ path: "test-results/wall-rates.png", fullPage: true });
  await page.getByTestId("wall-filter").fill("0000001");
  await expect(page).toHaveURL(/filter=0000001/);
  await page.reload();
  await expect(page.getByTestId("wall-sort")).toHaveValue("rate");
  await expect(page.getByTestId("wall-filter")).toHaveValue("0000001");
  for (const key of await page.getByTestId("port-wall").locator("tbody tr[data-session-id]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-key") ?? ""))) expect(key).toContain("0000001");
});

test("closing from the wall reads the key first, asks for a reason and a confirmation inside the dialog, shows every step and the row's state changes", async ({ page }) => {
  await page.goto("/wall");
  const first = await receivingRow(page);
  // Pinned by its session id: "the first receiving row" is live and can be another row a moment later.
  const sessionId = (await first.getAttribute("data-session-id"))!;
  const row = page.locator(`[data-testid="port-wall"] tbody tr[data-session-id="${sessionId}"]`);
  const port = await row.getAttribute("data-port");
  await row.getByTestId("action-close").click();
  const dialog = page.getByTestId("action-dialog");
  await expect(dialog).toBeVisible();
  // The dialog names the port and mode it acts on (the row's).
  await expect(page.getByTestId("action-port")).toContainText(`${port} · tcp_mode`);
  await expect(page.getByTestId("action-preflight")).toBeVisible();
  await expect(page.getByTestId("action-submit")).toBeDisabled();
  await page.getByTestId("action-reason").fill("e2e: camera moved to another platform");
  await page.getByTestId("action-submit").click();
  // A held server is closed only after a second, explicit yes in the same dialog.
  if ((await dialog.getAttribute("data-phase")) === "confirm") {
    await expect(page.getByTestId("action-confirm-text")).toBeVisible();
    await page.getByTestId("action-confirm").click();
  }
  const result = page.getByTestId("action-result");
  await expect(result).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("action-reason")).toBeDisabled(); // the reason is part of the record now
  const outcome = await result.getAttribute("data-outcome");
  // The demo platform may have closed it a moment before us; then there is nothing to close.
  expect(["closed", "nothing_to_close"]).toContain(outcome);
  if (outcome === "closed") {
    await expect(result.locator('li[data-step="close"]')).toBeVisible();
    await expect(result.locator('li[data-step="release_confirmed"]')).toBeVisible();
  }
  await page.screenshot({ path: "test-results/wall-close.png", fullPage: true });
  await page.getByTestId("action-done").click();
  // The wall follows SSE: the session is closed or released (and leaves the wall).
  const same = page.locator(`[data-testid="port-wall"] tbody tr[data-session-id="${sessionId}"]`);
  await expect.poll(async () => ((await same.count()) === 0 ? "gone" : await same.getAttribute("data-state")), { timeout: 10_000 }).toMatch(/^(closed|released|gone)$/);
});

test("a safe reopen of a receiving demo stream says the media is live, keeps the port, and shows the media resumed on the same port", async ({ page }) => {
  await page.goto("/wall");
  const result = page.getByTestId("action-result");
  let port = "";
  // A demo camera ends its play every 7-40 s here, and may do so between the dialog's check and the
  // reopen's own: the reopen then says so (its preflight is not live) and rightly waits for media.
  // Only then is another camera tried; a live preflight must end in "media resumed".
  for (let attempt = 0; ; attempt++) {
    // A camera that is sending now (a demo camera may stall; the preflight says which).
    const sending = page.getByTestId("port-wall").locator('tbody tr[data-state="receiving"]').filter({ has: page.locator('[data-testid="wall-rate"]:not([data-bytes-speed="0"]):not([data-bytes-speed=""])', { hasText: /\d.* (?:k|M)?B\/s/ }) }).first();
    await expect(sending).toBeVisible({ timeout: 30_000 });
    // Pinned by its session id, so the port read and the button clicked are the same row's.
    const row = page.locator(`[data-testid="port-wall"] tbody tr[data-session-id="${await sending.getAttribute("data-session-id")}"]`);
    port = (await row.getAttribute("data-port"))!;
    await row.getByTestId("action-reopen").click();
    const pre = page.getByTestId("action-preflight");
    await expect(pre).toHaveAttribute("data-activity", "receiving");
    await expect(pre).toHaveAttribute("data-port", port);
    await expect(pre).toContainText("Media is live");
    await expect(page.getByTestId("action-keep")).toBeChecked();
    await page.getByTestId("action-reason").fill("e2e: frozen picture");
    await page.getByTestId("action-submit").click();
    await expect(page.getByTestId("action-confirm-text")).toContainText("interrupts");
    await page.screenshot({ path: "test-results/action-reopen-confirm.png", fullPage: true });
    const answer = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/rtp/reopen"));
    await page.getByTestId("action-confirm").click();
    const body = (await (await answer).json()) as { outcome: string; preflight?: { mediaLive?: boolean } };
    if (body.preflight?.mediaLive === false && attempt < 4) {
      await expect(result).toHaveAttribute("data-outcome", body.outcome);
      await page.getByTestId("action-done").click();
      await expect(page.getByTestId("action-dialog")).toHaveCount(0);
      continue;
    }
    break;
  }
  await expect(result).toHaveAttribute("data-outcome", "media_resumed", { timeout: 30_000 });
  await expect(result).toHaveAttribute("data-port", port);
  await expect(result).toContainText(`port ${port}`);
  await expect(result).toContainText("media resumed");
  for (const step of ["preflight", "close", "release_confirmed", "open", "media_resumed"]) await expect(result.locator(`li[data-step="${step}"]`)).toBeVisible();
  await page.screenshot({ path: "test-results/action-reopen.png", fullPage: true });
});

test("the wall and a stream page render in Simplified Chinese with no English left in the table headers", async ({ page }) => {
  await page.goto("/wall?lang=zh");
  await expect(page.getByRole("heading", { name: "端口墙" })).toBeVisible();
  const row = await receivingRow(page);
  const wallHeaders = await headerTexts(page.getByTestId("port-wall"));
  for (const h of wallHeaders) {
    expect(ENGLISH_HEADERS, h).not.toContain(h);
    expect(h.replace(ZLM_TERMS, ""), h).not.toMatch(/[A-Za-z]{2,}/);
  }
  await expect(row.getByTestId("action-close")).toHaveText("关闭…");
  await page.screenshot({ path: "test-results/wall-zh.png", fullPage: true });

  await row.locator('a[href^="/streams/"]').click();
  await expect(page.getByTestId("stream-page")).toBeVisible();
  await expect(page.getByTestId("event-table").locator("tbody tr").first()).toBeVisible({ timeout: 15_000 });
  // The language was chosen once (?lang=zh) and sticks on the next page.
  for (const table of [page.getByTestId("event-table"), page.getByTestId("session-table")]) {
    for (const h of await headerTexts(table)) {
      expect(ENGLISH_HEADERS, h).not.toContain(h);
      expect(h.replace(ZLM_TERMS, ""), h).not.toMatch(/[A-Za-z]{2,}/);
    }
  }
  await expect(page.getByTestId("export-csv")).toHaveText("导出 CSV");
  await expect(page.getByTestId("session-table").locator("tbody tr").first().locator("td").first()).not.toHaveText(/[A-Za-z]{3,}/);
  await page.screenshot({ path: "test-results/stream-zh.png", fullPage: true });
});

test("time travel by typing a date and time; the past cannot be closed", async ({ page }) => {
  await page.goto("/wall");
  await receivingRow(page);
  // A few seconds ago, typed the way support would, in the viewer's own zone.
  const target = await page.evaluate(() => {
    const d = new Date(Date.now() - 3000);
    const p = (n: number) => String(n).padStart(2, "0");
    return { value: `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`, at: Math.floor(d.getTime() / 1000) * 1000 };
  });
  await page.getByTestId("time-travel-at").fill(target.value);
  await expect(page).toHaveURL(new RegExp(`[?&]at=${target.at}(&|$)`));
  await expect(page.getByTestId("wall-time")).toContainText("as of");
  const rows = page.getByTestId("port-wall").locator("tbody tr[data-session-id]");
  await expect(rows.first()).toBeVisible();
  await expect.poll(() => allDisabled(page.getByTestId("port-wall").getByTestId("action-close"))).toBe(true);
  await expect(rows.first().getByTestId("wall-rate")).toHaveText("—");
  await page.screenshot({ path: "test-results/wall-time-travel.png", fullPage: true });
  // The link reproduces the moment.
  const link = page.url();
  const other = await page.context().newPage();
  await other.goto(link);
  await expect(other.getByTestId("wall-time")).toContainText("as of");
  // Shown ISO-style with a space (not in the browser's locale, as datetime-local was).
  await expect(other.getByTestId("time-travel-at")).toHaveValue(target.value.replace("T", " "));
  await other.close();

  await page.getByTestId("back-to-live").click();
  await expect(page.getByTestId("wall-time")).toContainText("live");
  await expect(page.getByTestId("port-wall").getByTestId("action-close").first()).toBeEnabled();
});

test("a stream page keeps its view in the URL: kind filter, selected session and the opened event", async ({ page }) => {
  await page.goto("/wall");
  const row = page.getByTestId("port-wall").locator('tbody tr[data-state="receiving"]').filter({ has: page.locator('[data-testid="wall-rate"]:not([data-bytes-speed="0"]):not([data-bytes-speed=""])', { hasText: /\d.* (?:k|M)?B\/s/ }) }).first();
  await expect(row).toBeVisible({ timeout: 30_000 });
  await row.locator('a[href^="/streams/"]').click();
  await expect(page.getByTestId("event-table").locator("tbody tr").first()).toBeVisible({ timeout: 15_000 });
  // The receive rate now, and a chart of it sampled while the page is open.
  // One figure per node that has the stream (both demo nodes have the same camera ids). A demo camera stalls now and
  // then (media stopped, timeout after 8 s, reopen), on both nodes at once: wait through one such cycle.
  await expect.poll(async () => Math.max(0, ...(await page.getByTestId("rate-now").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-bytes-speed")) || 0)))), { timeout: 30_000 }).toBeGreaterThan(0);
  await expect(page.getByTestId("rate-chart").locator(".recharts-line").first()).toBeAttached({ timeout: 10_000 });
  await page.getByTestId("kind-filter").selectOption("rtp.opened");
  await expect(page).toHaveURL(/kind=rtp\.opened/);
  await expect(page.getByTestId("event-table").locator("tbody tr[data-kind]").first()).toHaveAttribute("data-kind", "rtp.opened");
  expect(await page.getByTestId("event-table").locator('tbody tr[data-kind]:not([data-kind="rtp.opened"])').count()).toBe(0);
  await page.getByTestId("session-table").locator("tbody tr").first().click();
  await expect(page).toHaveURL(/session=/);
  const first = page.getByTestId("event-table").locator("tbody tr[data-kind]").first();
  const id = await first.getAttribute("data-event-id");
  await first.click();
  await expect(page).toHaveURL(new RegExp(`event=${id}`));
  await expect(page.getByTestId("event-raw")).toContainText('"kind": "rtp.opened"');

  const other = await page.context().newPage();
  await other.goto(page.url());
  await expect(other.getByTestId("event-raw")).toContainText(`"id": ${id}`, { timeout: 15_000 });
  await expect(other.getByTestId("kind-filter")).toHaveValue("rtp.opened");
  await expect(other.getByTestId("session-table").locator('tbody tr[aria-selected="true"]')).toHaveCount(1);
  await other.screenshot({ path: "test-results/stream-view-state.png", fullPage: true });
});
