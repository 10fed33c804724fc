import { defineConfig } from "@playwright/test";

/**
 * Browser tests in Debian's Chromium (Playwright's own browser download fails
 * on these machines). The real app is started in demo mode: the embedded
 * emulator plays ZLM on 127.0.0.1.
 */
const PORT = Number(process.env.E2E_PORT ?? 3100);

export default defineConfig({
  testDir: "e2e",
  // Specs run signed in (the demo's admin unless a spec picks another role): "setup" signs every demo account in first.
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts$/ },
    { name: "chromium", testMatch: "**/*.spec.ts", dependencies: ["setup"], use: { storageState: "test-results/auth/admin.json" } },
  ],
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 90_000,
  // Auto-waiting assertions get a wider default on a loaded box; readiness waits use the app's own signals (e2e/live.ts).
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"], ["json", { outputFile: "test-results/playwright.json" }]] : "list",
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    screenshot: "only-on-failure",
    // Operators' wall screens run dark; the light theme has its own test (e2e/overview.spec.ts).
    colorScheme: "dark",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  webServer: {
    command: `node node_modules/next/dist/bin/next start -p ${PORT} -H 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}/api/nodes`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: {
      ZLM_URL: "",
      ZLM_SECRET: "",
      PORTSCOPE_NODES: "",
      PORTSCOPE_DB: `test-results/e2e-portscope-${PORT}.db`,
      PORTSCOPE_ZLM_PORT: String(PORT + 1),
      PORTSCOPE_HOOK_TOKEN: "e2e-hook-token",
      // Rules the demo never meets (e2e/alerts.spec.ts shows them): no alert, no message, no event.
      PORTSCOPE_ALERTS: "e2e/alerts.e2e.json",
      PORTSCOPE_DEMO_CAMERAS: "6",
      PORTSCOPE_DEMO_TIMEOUT_SEC: "8",
      // Parallel runs (several work trees on one machine) need their own RTP ports.
      PORTSCOPE_DEMO_PORT_RANGE: process.env.E2E_DEMO_PORT_RANGE ?? "30000-35000",
    },
  },
});
