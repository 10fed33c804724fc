import { expect, test, type Locator, type Page } from "@playwright/test";
import { waitLive } from "./live";
import { csrf } from "./auth";
import { parseRtpKey } from "../lib/zlm/rtp-key";

/**
 * Working the timeline with a mouse against the real app in demo mode: zoom,
 * pan, back to live, the raw events behind a band, a paused server, the row
 * menu and the theme. The canvas is read through what it says it drew (the
 * hidden marker/band/axis lists and the data attributes on the timeline).
 */
// Tall enough that every demo row is on screen below the node cards: the mouse cannot reach past the viewport.
test.use({ viewport: { width: 1280, height: 1400 } });

const LABEL_WIDTH = 220;
const AXIS_HEIGHT = 24;
const ROW_HEIGHT = 26;

interface Session {
  id: string;
  key: string;
  port: number | null;
  state: string;
  nodeId: string;
  openedAt: number;
  pauses?: { from: number; to: number | null }[];
}

async function ready(page: Page, url: string) {
  await page.goto(url);
  await waitLive(page);
  await expect.poll(async () => Number(await page.getByTestId("timeline").getAttribute("data-rows")), { timeout: 30_000 }).toBeGreaterThan(0);
}

/** Both ends in one read: a live window moves with the clock between two separate reads. */
const windowOf = (page: Page) =>
  page.getByTestId("timeline").evaluate((t) => ({ from: Number(t.getAttribute("data-from")), to: Number(t.getAttribute("data-to")) }));
const urlWindow = (page: Page) => {
  const u = new URL(page.url());
  return { from: Number(u.searchParams.get("from")), to: Number(u.searchParams.get("to")), follow: u.searchParams.get("follow") };
};
const axisLabels = (page: Page) => page.getByTestId("timeline-axis").locator("li").allTextContents();

async function plotBox(page: Page) {
  const box = await page.getByTestId("timeline-plot").boundingBox();
  if (!box) throw new Error("timeline not laid out");
  return box;
}

/**
 * A point on the plot, placed by `at` on the plot's box as measured now: the cards above the
 * timeline (an incident the demo staged) may grow at any moment and move the plot from under a
 * point measured earlier, and a gesture there would hit a card or scroll the page. Throws unless
 * the point is on the plot.
 */
async function pointOnPlot(page: Page, at: (box: { x: number; y: number; width: number }) => { x: number; y: number }) {
  const p = at(await plotBox(page));
  const on = await page.evaluate(([px, py]) => !!document.elementFromPoint(px, py)?.closest('[data-testid="timeline-plot"]'), [p.x, p.y]);
  if (!on) throw new Error(`the point ${p.x},${p.y} is not over the timeline`);
  return p;
}

/** One wheel step at `frac` of the time area's width, on the plot as it is now. */
async function wheelOverPlot(page: Page, frac: number, deltaY: number) {
  const p = await pointOnPlot(page, (box) => ({ x: box.x + LABEL_WIDTH + frac * (box.width - LABEL_WIDTH), y: box.y + 120 }));
  await page.mouse.move(p.x, p.y);
  await page.mouse.wheel(0, deltaY);
}

/**
 * Makes `gesture` until `done()` holds, making it again only while its effect is absent (a gesture
 * that missed the plot had none), so no gesture counts twice.
 */
async function gestureUntil(done: () => boolean | Promise<boolean>, gesture: () => Promise<void>) {
  await expect(async () => {
    if (!(await done())) await gesture();
    await expect.poll(done, { timeout: 2000 }).toBe(true);
  }).toPass({ timeout: 20_000 });
}

/** Page coordinates of time `at` on row `row`, for the window the timeline shows now. */
async function pointOf(page: Page, at: number, row: number) {
  const box = await plotBox(page);
  const w = await windowOf(page);
  return { x: box.x + LABEL_WIDTH + ((at - w.from) / (w.to - w.from)) * (box.width - LABEL_WIDTH), y: box.y + AXIS_HEIGHT + row * ROW_HEIGHT + ROW_HEIGHT / 2 };
}

async function sessionWhere(page: Page, query: string, pick: (s: Session) => boolean): Promise<Session> {
  for (let i = 0; i < 60; i++) {
    const { sessions } = (await (await page.request.get(`/api/sessions?${query}`)).json()) as { sessions: Session[] };
    const s = sessions.find(pick);
    if (s) return s;
    await page.waitForTimeout(500);
  }
  throw new Error(`no session for ${query}`);
}

test("the wheel zooms around the pointer: the URL gets the window, the axis changes, following stops", async ({ page }) => {
  await ready(page, "/?range=1h");
  const before = await windowOf(page);
  expect(before.to - before.from).toBe(3600e3);
  const axisBefore = await axisLabels(page);
  let anchor = 0;
  await gestureUntil(
    () => urlWindow(page).follow === "0",
    async () => {
      const w = await windowOf(page);
      anchor = w.from + 0.75 * (w.to - w.from);
      await wheelOverPlot(page, 0.75, -300);
    },
  );
  const zoomed = urlWindow(page);
  expect(zoomed.to - zoomed.from).toBeLessThan(3600e3);
  // The time under the pointer stays under it (within the second the live window moved meanwhile).
  expect(Math.abs(zoomed.from + 0.75 * (zoomed.to - zoomed.from) - anchor)).toBeLessThan(5000);
  await expect.poll(async () => (await windowOf(page)).to).toBe(zoomed.to);
  await expect.poll(async () => JSON.stringify(await axisLabels(page))).not.toBe(JSON.stringify(axisBefore));
  await expect(page.getByTestId("timeline-paused")).toBeVisible();
  await expect(page.getByTestId("timeline-follow")).not.toBeChecked();
  await page.waitForTimeout(600);
  const rowsOf = () => page.getByTestId("timeline-drawn").locator("li").evaluateAll((lis) => lis.map((li) => `${li.getAttribute("data-key")}@${li.getAttribute("data-node")}:${li.getAttribute("data-row")}`).sort());
  const heldRows = await rowsOf();
  // New events keep arriving while the window stands still, and are counted (an operator action makes sure of one).
  await page.request.post("/api/nodes/demo/rtp/close", { data: { stream_id: "e2e_nothing_here", reason: "e2e: an event while paused" }, headers: await csrf(page) });
  await expect.poll(async () => Number(await page.getByTestId("timeline-paused").getAttribute("data-new-events")), { timeout: 20_000 }).toBeGreaterThan(0);
  // ... and the rows that were there hold their places (new ones may only join below).
  const rowIndex = (list: string[]) => new Map(list.map((x) => [x.split(":")[0], x.split(":")[1]]));
  const later = rowIndex(await rowsOf());
  for (const [k, r] of rowIndex(heldRows)) if (later.has(k)) expect(later.get(k), k).toBe(r);
  await page.screenshot({ path: "test-results/timeline-zoomed.png", fullPage: true });

  // Zooming in hard stops at 5 minutes; out, the span grows again.
  const span = () => urlWindow(page).to - urlWindow(page).from;
  for (let i = 0; i < 8; i++) await wheelOverPlot(page, 0.75, -600);
  await gestureUntil(() => span() === 5 * 60e3, () => wheelOverPlot(page, 0.75, -600));
  await gestureUntil(() => span() > 5 * 60e3, () => wheelOverPlot(page, 0.75, 400));

  // The way back: the button returns to the live range (the preset survives).
  await page.getByTestId("timeline-reset").click();
  await expect.poll(() => new URL(page.url()).searchParams.get("from")).toBeNull();
  await expect(page.getByTestId("timeline-paused")).toHaveCount(0);
  await expect.poll(async () => { const w = await windowOf(page); return w.to - w.from; }).toBe(3600e3);
});

test("dragging pans the window; a double-click returns to live", async ({ page }) => {
  const now = Date.now();
  await ready(page, `/?from=${now - 2 * 3600e3}&to=${now - 3600e3}&follow=0`);
  const start = await windowOf(page);
  expect(start).toEqual({ from: now - 2 * 3600e3, to: now - 3600e3 });
  // Dragging right brings earlier times into view, by the dragged share of the span.
  await gestureUntil(
    () => urlWindow(page).from < start.from,
    async () => {
      const p = await pointOnPlot(page, (box) => ({ x: box.x + LABEL_WIDTH + 200, y: box.y + 100 }));
      await page.mouse.move(p.x, p.y);
      await page.mouse.down();
      await page.mouse.move(p.x + 300, p.y, { steps: 10 });
      await page.mouse.up();
    },
  );
  const box = await plotBox(page);
  const panned = urlWindow(page);
  expect(panned.to - panned.from).toBe(3600e3);
  const expected = (300 / (box.width - LABEL_WIDTH)) * 3600e3;
  expect(Math.abs(start.from - panned.from - expected)).toBeLessThan(60e3);
  expect(page.url()).not.toContain("/streams/"); // the drag was not a click
  await page.screenshot({ path: "test-results/timeline-panned.png", fullPage: true });

  await gestureUntil(
    () => new URL(page.url()).searchParams.get("follow") === null,
    async () => {
      const p = await pointOnPlot(page, (b) => ({ x: b.x + LABEL_WIDTH + 300, y: b.y + 100 }));
      await page.mouse.dblclick(p.x, p.y);
    },
  );
  await expect(page.getByTestId("timeline-window")).toHaveAttribute("data-follow", "1");
  expect(page.url()).not.toContain("/streams/");
});

test("hovering a band shows its session and the raw events near the pointer; a click opens the stream page", async ({ page }) => {
  await ready(page, "/?range=5m");
  await sessionWhere(page, "live=1&limit=100", (x) => (x.state === "waiting" || x.state === "receiving") && Date.now() - x.openedAt > 20_000);
  // Stop following so the band stays where it is measured.
  await page.keyboard.press("f");
  await expect(page.getByTestId("timeline-paused")).toBeVisible();
  await page.waitForTimeout(600); // rows hold still once paused; the drawn list follows within 300 ms
  // A live, older session drawn in one of the first rows: the plot shows about 16 rows without scrolling.
  const { sessions } = (await (await page.request.get("/api/sessions?live=1&limit=100")).json()) as { sessions: Session[] };
  let s: Session | null = null;
  let row = -1;
  // Its open marker must be inside the (paused) window, too: a camera may have been up for longer than 5 min.
  const w = await windowOf(page);
  for (const x of sessions.filter((c) => (c.state === "waiting" || c.state === "receiving") && Date.now() - c.openedAt > 20_000 && c.openedAt > w.from + 5000)) {
    const li = page.getByTestId("timeline-drawn").locator(`li[data-session-id="${x.id}"][data-markers~="open"]`);
    if ((await li.count()) === 0) continue;
    const r = Number(await li.first().getAttribute("data-row"));
    if (r >= 0 && r < 12) {
      s = x;
      row = r;
      break;
    }
  }
  if (!s) throw new Error("no live session drawn in the first rows");
  // Just right of the open marker: on the band, and near enough for the marker to be the one described.
  const tip = page.getByTestId("timeline-tooltip");
  let p = { x: 0, y: 0 };
  const events = page.getByTestId("timeline-tooltip-events").locator("li");
  // Measured, hovered and read again on each try: the cards above the timeline (a node note, an incident the
  // demo staged) may grow between measuring and reading, moving the band from under the pointer.
  await expect(async () => {
    p = await pointOf(page, s.openedAt + 1000, row);
    await page.mouse.move(p.x, p.y - 6);
    await page.mouse.move(p.x, p.y);
    await expect(tip).toHaveAttribute("data-session-id", s.id, { timeout: 1000 });
    // The open and first-media markers may share a pixel: either is the mark described.
    await expect(page.getByTestId("timeline-tooltip-marker")).toHaveAttribute("data-kind", /^(open|first_media)$/, { timeout: 1000 });
    await expect(tip).toContainText(s.key, { timeout: 1000 });
    await expect(events.first()).toBeVisible({ timeout: 5000 });
    await expect(page.getByTestId("timeline-tooltip-events").locator('li[data-kind^="rtp."]').first()).toBeVisible({ timeout: 1000 });
    // Time to the millisecond, kind and source.
    await expect(events.first()).toHaveText(/\d\d:\d\d:\d\d\.\d{3}\s*[a-z_]+\.[a-z_]+\s*(hook|poll|tap|action|system)/, { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await page.screenshot({ path: "test-results/timeline-hover-events.png", fullPage: true });
  await page.mouse.click(p.x, p.y);
  await expect(page).toHaveURL(/\/streams\//);
  await expect(page.getByTestId("stream-page")).toHaveAttribute("data-key", s.key);
});

test("a server paused by the operator shows a paused band, in the legend's colour, until resumed", async ({ page }) => {
  await ready(page, "/?range=5m");
  await expect(page.getByTestId("timeline-legend").locator('li[data-state="paused"]')).toBeVisible();
  // By its id: the demo may end it meanwhile (a live=1 read then has another session, or none).
  const sessionNow = async (x: Session) => ((await (await page.request.get(`/api/sessions?key=${encodeURIComponent(x.key)}&node=demo&limit=100`)).json()) as { sessions: Session[] }).sessions.find((y) => y.id === x.id);
  const stateOf = async (x: Session) => (await sessionNow(x))?.state;
  const act = async (verb: "pause" | "resume", x: Session, extra: Record<string, unknown>) => {
    const { vhost, app, streamId } = parseRtpKey(x.key)!;
    return page.request.post(`/api/nodes/demo/rtp/${verb}`, { data: { stream_id: streamId, vhost, app, ...extra }, headers: await csrf(page) });
  };
  let paused!: Session;
  let band!: Locator;
  // A demo camera ends its play every 7-40 s here: when it does within the band's few seconds, the media
  // stopped state takes over the row and there is no paused band to point at. Only then is another camera paused.
  for (let attempt = 0; ; attempt++) {
    let s: Session | null = null;
    let result: { ok: boolean; outcome: string } | null = null;
    // A camera may stop between the lookup and the call (ZLM then answers -500): try the next one.
    for (let i = 0; i < 5 && !result?.ok; i++) {
      s = await sessionWhere(page, "live=1&node=demo&limit=100", (x) => x.state === "receiving");
      const res = await act("pause", s, { reason: "e2e: pause the timeout check", pause_seconds: 120 });
      result = (await res.json()) as { ok: boolean; outcome: string };
    }
    expect(result).toMatchObject({ ok: true, outcome: "paused" });
    paused = s!;
    await expect.poll(() => stateOf(paused)).toBe("paused");
    band = page.getByTestId("timeline-drawn").locator(`li[data-session-id="${paused.id}"][data-states~="paused"]`);
    await expect(band).toBeAttached({ timeout: 5000 });
    await expect(band).toHaveAttribute("data-markers", /\baction\b/);
    await expect(page.getByTestId("timeline")).toHaveAttribute("data-markers", /action:/);
    // Let the band grow a few seconds wide, then hold the window still to point at it.
    await page.waitForTimeout(3000);
    if ((await stateOf(paused)) === "paused" || attempt >= 3) break;
    await act("resume", paused, { reason: "e2e: the camera ended its play" });
  }
  await page.keyboard.press("f");
  await expect(page.getByTestId("timeline-paused")).toBeVisible();
  await page.waitForTimeout(600);
  const row = Number(await band.getAttribute("data-row"));
  const pausedNow = (await sessionNow(paused))!;
  // Measured and hovered again on each try (see pointOnPlot).
  await expect(async () => {
    const p = await pointOf(page, pausedNow.pauses![0].from + 1500, row);
    await page.mouse.move(p.x, p.y - 6);
    await page.mouse.move(p.x, p.y);
    await expect(page.getByTestId("timeline-tooltip")).toContainText("Paused", { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await page.screenshot({ path: "test-results/timeline-paused-band.png", fullPage: true });
  await act("resume", paused, { reason: "e2e: done" });
});

test("a row's label opens its menu: stream page, close and safe reopen through the action dialog", async ({ page }) => {
  await ready(page, "/?range=15m");
  const menu = page.getByTestId("timeline-row-menu");
  await gestureUntil(
    () => menu.isVisible(),
    async () => {
      const p = await pointOnPlot(page, (box) => ({ x: box.x + 60, y: box.y + AXIS_HEIGHT + ROW_HEIGHT / 2 }));
      await page.mouse.move(p.x, p.y);
      await page.mouse.click(p.x, p.y);
    },
  );
  const key = (await menu.getAttribute("data-key"))!;
  await expect(menu.getByTestId("row-open-stream")).toHaveAttribute("href", `/streams/${key.split("/").map(encodeURIComponent).join("/")}`);
  await menu.getByTestId("action-close").click();
  await expect(page.getByTestId("action-dialog")).toBeVisible();
  await expect(page.getByTestId("action-dialog")).toContainText(key);
  await page.screenshot({ path: "test-results/timeline-row-menu.png", fullPage: true });
  await page.getByTestId("action-dialog").getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("action-dialog")).toHaveCount(0);
  await expect(menu).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(menu).toHaveCount(0);
});

test("the canvas takes its chrome colours from the theme's CSS variables and redraws when the theme changes", async ({ page }) => {
  await ready(page, "/?range=15m");
  const pixel = () => page.evaluate(() => {
    const c = document.querySelector('[data-testid="timeline"] canvas') as HTMLCanvasElement;
    const dpr = window.devicePixelRatio || 1;
    return Array.from(c.getContext("2d")!.getImageData(Math.round(5 * dpr), Math.round(5 * dpr), 1, 1).data.slice(0, 3));
  });
  expect(await pixel()).toEqual([11, 17, 32]); // today's dark axis/gutter, #0b1120
  await page.addStyleTag({ content: 'html[data-theme="light"] { --ps-canvas-gutter: rgb(250, 0, 0); }' });
  await page.evaluate(() => (document.documentElement.dataset.theme = "light"));
  await expect.poll(pixel).toEqual([250, 0, 0]);
  await page.evaluate(() => delete document.documentElement.dataset.theme);
  await expect.poll(pixel).toEqual([11, 17, 32]);
});
