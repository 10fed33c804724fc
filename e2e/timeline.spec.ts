import { expect, test, type Page } from "@playwright/test";
import { liveSession } from "./demo-sessions";
import { waitLive } from "./live";

/**
 * The operator views against the real app in demo mode: the embedded emulator
 * with simulated cameras plays ZLM, real hooks flow into the lean listener.
 */
const HOOKS = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3100) + 1}/api/hooks`;


test("the timeline fills with rows from the simulated cameras", async ({ page }) => {
  await page.goto("/");
  await waitLive(page);
  await expect.poll(async () => Number(await page.getByTestId("timeline").getAttribute("data-rows")), { timeout: 30_000 }).toBeGreaterThan(0);
  await page.screenshot({ path: "test-results/timeline.png", fullPage: true });
});

test("a timeout hook shows up live on the event list and the timeline (latency printed; bench/timeline-browser.ts measures it)", async ({ page }) => {
  await page.goto("/");
  await waitLive(page);
  const s = await liveSession(page);
  const [vhost, app, stream] = [s.key.split("/")[0], s.key.split("/")[1], s.key.split("/").slice(2).join("/")];
  const sentAt = Date.now();
  // Each demo node names itself portscope-<node id> in its hooks (lib/nodes/registry.server.ts).
  const res = await page.request.post(`${HOOKS}/on_rtp_server_timeout?token=e2e-hook-token`, {
    data: { app, hook_index: 900_000, local_port: s.port, mediaServerId: `portscope-${s.nodeId}`, re_use_port: false, ssrc: 0, stream_id: stream, tcp_mode: 0, vhost },
  });
  expect(await res.json()).toEqual({ code: 0, msg: "success" });
  const marker = page.getByTestId("recent-events").locator(`li[data-kind="rtp.timed_out"]`).filter({ hasText: stream.slice(-6) });
  // A ceiling, not a speed target: speed is a benchmark's job, and this box may be loaded.
  await expect(marker.first()).toBeVisible({ timeout: 20_000 });
  // And on the timeline itself: the canvas drew a timeout marker on this session's row (its drawn-marks list says so).
  const onTimeline = page.getByTestId("timeline-drawn").locator(`li[data-session-id="${s.id}"][data-markers~="timeout"]`);
  await expect(onTimeline).toBeAttached({ timeout: 20_000 });
  await expect(page.getByTestId("timeline")).toHaveAttribute("data-markers", /timeout:\d+/);
  console.log(`timeout hook -> timeline marker: ${Date.now() - sentAt} ms`);
  await page.screenshot({ path: "test-results/timeline-timeout.png", fullPage: true });
});

test("a stream's page is reached by search and by permalink with the same history, and exports it", async ({ page }) => {
  await page.goto("/");
  const s = await liveSession(page);
  const stream = s.key.split("/").slice(2).join("/");
  await page.getByTestId("search-input").fill(stream);
  await page.getByTestId("search-input").press("Enter");
  await page.getByTestId("search-results").getByRole("link", { name: s.key }).click();
  await expect(page.getByTestId("stream-page")).toHaveAttribute("data-key", s.key);
  await expect(page.getByTestId("event-table").locator("tbody tr").first()).toBeVisible();
  const ids = (table: ReturnType<Page["getByTestId"]>) => table.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-session-id")));
  const viaSearch = await ids(page.getByTestId("session-table"));
  const permalink = page.url();
  await page.screenshot({ path: "test-results/stream-page.png", fullPage: true });

  const other = await page.context().newPage();
  await other.goto(permalink);
  await expect(other.getByTestId("stream-page")).toHaveAttribute("data-key", s.key);
  await expect(other.getByTestId("event-table").locator("tbody tr").first()).toBeVisible();
  // Same history: every session seen via search is on the permalink (the demo may have added a newer one since).
  const viaLink = await ids(other.getByTestId("session-table"));
  expect(viaSearch.length).toBeGreaterThan(0);
  for (const id of viaSearch) expect(viaLink).toContain(id);

  const [download] = await Promise.all([other.waitForEvent("download"), other.getByTestId("export-csv").click()]);
  const file = await download.path();
  const fs = await import("node:fs");
  const csv = fs.readFileSync(file!, "utf8");
  expect(csv.split("\r\n")[0]).toBe("id,time_utc,at_ms,node,kind,key,port,source,hook_index,payload");
  expect(csv).toContain(`rtp.opened`);
  expect(csv.split("\r\n").slice(1).filter(Boolean).every((line) => line.includes(s.key))).toBe(true);
});

test("kiosk mode hides the chrome for the wall screen", async ({ page }) => {
  await page.goto("/?kiosk=1");
  await expect(page.getByTestId("timeline")).toBeVisible();
  await expect(page.locator('[data-role="app-header"]')).toBeHidden();
  await page.screenshot({ path: "test-results/kiosk.png", fullPage: true });
});

test("the port wall lists live servers and travels back in time", async ({ page }) => {
  await page.goto("/");
  await liveSession(page);
  await page.goto("/wall");
  await expect(page.getByTestId("port-wall").locator("tbody tr").first()).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("wall-time")).toContainText("live");
  await page.screenshot({ path: "test-results/port-wall.png", fullPage: true });
  // A port's own history, one click away.
  await page.getByTestId("port-wall").locator("tbody tr").first().locator('a[href^="/ports/"]').click();
  await expect(page.getByTestId("port-page")).toBeVisible();
  await expect(page.getByTestId("session-table").locator("tbody tr").first()).toBeVisible();
  await expect(page.getByTestId("action-reopen")).toBeEnabled();
  await page.screenshot({ path: "test-results/port-page.png", fullPage: true });
  await page.goto("/wall");
  // An hour ago the demo had not started: the rebuilt wall is empty.
  await page.goto(`/wall?at=${Date.now() - 3_600_000}`);
  await expect(page.getByTestId("wall-time")).toContainText("as of");
  await expect(page.getByTestId("port-wall").locator("tbody tr")).toHaveCount(0);
});

test("the overview chart renders", async ({ page }) => {
  await page.goto("/?range=5m");
  await expect(page.getByTestId("activity-chart").locator(".recharts-wrapper svg.recharts-surface").first()).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("activity-chart").locator(".recharts-area").first()).toBeAttached();
  await page.screenshot({ path: "test-results/overview-chart.png", fullPage: true });
});

test("the dashboard renders in English and in Simplified Chinese", async ({ page }) => {
  await page.goto("/?lang=en");
  await expect(page.getByRole("heading", { name: "RTP port timeline" })).toBeVisible();
  await page.screenshot({ path: "test-results/lang-en.png" });
  await page.goto("/?lang=zh");
  await expect(page.getByRole("heading", { name: "RTP 端口时间线" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await page.screenshot({ path: "test-results/lang-zh.png" });
  // The choice sticks without the URL parameter.
  await page.getByTestId("language").selectOption("en");
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "RTP port timeline" })).toBeVisible();
});

test("an operator safely reopens a stream from its page and sees every step", async ({ page }) => {
  await page.goto("/");
  const s = await liveSession(page);
  await page.goto(`/streams/${s.key.split("/").map(encodeURIComponent).join("/")}`);
  await page.getByTestId("action-reopen").click();
  await expect(page.getByTestId("action-preflight")).toBeVisible();
  await expect(page.getByTestId("action-submit")).toBeDisabled(); // a reason is required
  await page.getByTestId("action-reason").fill("e2e: camera re-invited");
  await page.getByTestId("action-submit").click();
  // The demo's platform may have closed the server meanwhile: the confirmation comes only for a held key.
  const held = (await page.getByTestId("action-dialog").getAttribute("data-phase")) === "confirm";
  if (held) await page.getByTestId("action-confirm").click();
  const result = page.getByTestId("action-result");
  await expect(result).toHaveAttribute("data-outcome", /^(media_resumed|waiting_for_media)$/, { timeout: 30_000 });
  await expect(result.locator('li[data-step="preflight"]')).toBeVisible();
  await expect(result.locator('li[data-step="open"]')).toBeVisible();
  await expect(result.locator('li[data-step="release_confirmed"]')).toHaveCount(held ? 1 : 0);
  await page.screenshot({ path: "test-results/action-reopen-stream.png", fullPage: true });
});
