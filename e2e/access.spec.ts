import { expect, test } from "@playwright/test";
import { csrf, storageStateOf } from "./auth";
import { liveSession } from "./demo-sessions";
import { allDisabled, waitLive } from "./live";

/** Every state-changing API a viewer might call directly, with a valid body (so only the role stops it). */
const MUTATIONS = (node: string, stream: string) => [
  { url: `/api/nodes/${node}/rtp/close`, data: { stream_id: stream, reason: "viewer tries" } },
  { url: `/api/nodes/${node}/rtp/reopen`, data: { stream_id: stream, reason: "viewer tries", confirmClose: true } },
  { url: `/api/nodes/${node}/rtp/pause`, data: { stream_id: stream, reason: "viewer tries", pause_seconds: 30 } },
  { url: `/api/nodes/${node}/rtp/resume`, data: { stream_id: stream, reason: "viewer tries" } },
  { url: `/api/nodes/${node}/config/timeout`, data: { timeoutSec: 30, reason: "viewer tries" } },
  { url: "/api/incidents", data: { incidentId: "x", op: "acknowledge", reason: "viewer tries" } },
];

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("API answers 401, pages go to the sign-in page, which shows the demo accounts", async ({ page }) => {
    for (const path of ["/api/sessions", "/api/nodes", "/api/log", "/api/events", "/api/incidents", "/api/media", "/api/model", "/api/audit"]) {
      const res = await page.request.get(path);
      expect(res.status(), path).toBe(401);
      expect(((await res.json()) as { error: string }).error).toBe("unauthenticated");
    }
    expect((await page.request.post("/api/nodes/demo/rtp/close", { data: { stream_id: "x", reason: "nobody" } })).status()).toBe(401);
    await page.goto("/wall?kiosk=1");
    await expect(page).toHaveURL(/\/signin\?next=%2Fwall%3Fkiosk%3D1$/);
    await expect(page.getByTestId("demo-accounts")).toContainText("viewer");
    await expect(page.getByTestId("demo-accounts")).toContainText("operator");
    // A wrong password is refused on the page; a demo account's button signs in and returns to the page asked for.
    await page.getByTestId("signin-user").fill("admin");
    await page.getByTestId("signin-password").fill("wrong");
    await page.getByTestId("signin-submit").click();
    await expect(page.getByTestId("signin-error")).toBeVisible();
    await page.getByTestId("demo-signin-viewer").click();
    await expect(page).toHaveURL(/\/wall\?kiosk=1$/);
    await expect(page.getByTestId("signed-in-as")).toContainText("viewer");
  });

  test("the sign-in page opens no live stream and polls no nodes (they could only answer 401), shows no stream badge or search; signed in, the stream opens", async ({ page }) => {
    const asked: string[] = [];
    page.on("request", (r) => {
      const { pathname } = new URL(r.url());
      if (pathname === "/api/events" || pathname === "/api/nodes") asked.push(pathname);
    });
    await page.goto("/signin");
    await expect(page.getByTestId("demo-accounts")).toBeVisible();
    await page.waitForTimeout(6000); // past the nodes query's 5 s poll
    expect(asked).toEqual([]);
    // No "Connecting…" badge that never connects, and no search box whose answers would be 401.
    await expect(page.getByTestId("stream-status")).toHaveCount(0);
    await expect(page.getByTestId("search-input")).toHaveCount(0);
    await page.getByTestId("demo-signin-viewer").click();
    await expect(page.getByTestId("signed-in-as")).toContainText("viewer");
    await expect.poll(() => asked.includes("/api/events")).toBe(true);
    await expect(page.getByTestId("stream-status")).toHaveAttribute("data-status", "live");
    await expect(page.getByTestId("search-input")).toBeVisible();
  });
});

test.describe("viewer", () => {
  test.use({ storageState: storageStateOf("viewer") });

  test("sees everything, every action is disabled, and the API answers 403 when called directly", async ({ page }) => {
    await page.goto("/");
    await waitLive(page);
    const s = await liveSession(page);
    await page.goto("/wall");
    await waitLive(page);
    const closes = page.getByTestId("action-close");
    await expect(closes.first()).toBeVisible();
    await expect.poll(() => allDisabled(page.getByTestId("action-close"))).toBe(true);
    await expect.poll(() => allDisabled(page.getByTestId("action-reopen"))).toBe(true);
    await expect(closes.first()).toHaveAttribute("title", /viewer/);
    await page.goto(`/streams/${s.key.split("/").map(encodeURIComponent).join("/")}`);
    await expect(page.getByTestId("event-table")).toBeVisible();
    await expect(page.getByTestId("action-reopen")).toBeDisabled();
    const headers = await csrf(page);
    expect(headers["x-csrf-token"], "the viewer has a CSRF token, so only the role is refused").toBeTruthy();
    const stream = s.key.split("/").slice(2).join("/");
    for (const m of MUTATIONS(s.nodeId, stream)) {
      const res = await page.request.post(m.url, { data: m.data, headers });
      expect(res.status(), m.url).toBe(403);
      expect(((await res.json()) as { error: string }).error).toBe("forbidden");
    }
    // Reading is allowed, the preflight included (it only reads); the audit log is not.
    expect((await page.request.post(`/api/nodes/${s.nodeId}/rtp/preflight`, { data: { stream_id: stream, vhost: s.key.split("/")[0], app: s.key.split("/")[1] }, headers })).status()).toBe(200);
    expect((await page.request.get("/api/audit")).status()).toBe(403);
    expect((await page.goto("/audit"))?.status()).toBe(403);
  });
});

test.describe("operator", () => {
  test.use({ storageState: storageStateOf("operator") });

  test("a reopen writes an audit record with the person and reason, shown on the timeline", async ({ page, browser }) => {
    await page.goto("/");
    const s = await liveSession(page);
    // A state change without the CSRF header, or from another site, is refused even for an operator.
    const stream = s.key.split("/").slice(2).join("/");
    expect((await page.request.post(`/api/nodes/${s.nodeId}/rtp/close`, { data: { stream_id: stream, reason: "no token" } })).status()).toBe(403);
    expect((await page.request.post(`/api/nodes/${s.nodeId}/rtp/close`, { data: { stream_id: stream, reason: "evil site" }, headers: { ...(await csrf(page)), origin: "http://evil.example" } })).status()).toBe(403);

    const reason = `e2e audit ${Date.now()}`;
    await page.goto(`/streams/${s.key.split("/").map(encodeURIComponent).join("/")}`);
    await page.getByTestId("action-reopen").click();
    await page.getByTestId("action-reason").fill(reason);
    await page.getByTestId("action-submit").click();
    if ((await page.getByTestId("action-dialog").getAttribute("data-phase")) === "confirm") await page.getByTestId("action-confirm").click();
    await expect(page.getByTestId("action-result")).toHaveAttribute("data-outcome", /.+/, { timeout: 30_000 });
    const outcome = await page.getByTestId("action-result").getAttribute("data-outcome");
    await page.getByTestId("action-done").click();
    // On the stream's timeline of events: who, with the reason.
    const started = page.getByTestId("event-table").locator("tr", { hasText: reason });
    await expect(started.first()).toContainText("operator", { timeout: 15_000 });
    // The session the reopen left holding the key carries the person too (the timeline tooltip shows it).
    // (A camera's platform may close the key between the lookup and the click; then no session holds the action.)
    if (outcome === "media_resumed" || outcome === "waiting_for_media") {
      const byOf = async () => {
        const rows = (await (await page.request.get(`/api/sessions?key=${encodeURIComponent(s.key)}`)).json()) as { sessions: { actions?: { reason: string | null; by?: string }[] }[] };
        return rows.sessions.flatMap((x) => x.actions ?? []).find((a) => a.reason === reason)?.by;
      };
      await expect.poll(byOf, { timeout: 10_000 }).toBe("operator");
    }

    // The admin's audit log: person, role, reason, result, address, user agent; exportable.
    const admin = await browser.newContext({ storageState: storageStateOf("admin") });
    const adminPage = await admin.newPage();
    await adminPage.goto("/audit");
    const row = adminPage.getByTestId("audit-row").filter({ hasText: reason });
    await expect(row).toHaveCount(1, { timeout: 15_000 });
    await expect(row).toContainText("operator");
    await expect(row).toContainText("reopen");
    await expect(row).toContainText("127.0.0.1");
    const json = (await (await adminPage.request.get("/api/audit?format=json")).json()) as { records: { reason: string | null; user: string; role: string; what: string; result: string | null; clientAddress: string; userAgent: string }[] };
    expect(json.records.find((r) => r.reason === reason)).toMatchObject({ user: "operator", role: "operator", what: "reopen", clientAddress: "127.0.0.1" });
    const csv = await (await adminPage.request.get("/api/audit?format=csv")).text();
    expect(csv.split("\r\n")[0]).toContain("user,role,what");
    expect(csv).toContain(reason);
    await adminPage.screenshot({ path: "test-results/audit-log.png", fullPage: true });
    await admin.close();
  });
});
