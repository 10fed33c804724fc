import type { Page } from "@playwright/test";

/** A session as /api/sessions serves it, the fields the browser tests read. */
export interface DemoSession {
  id: string;
  key: string;
  port: number | null;
  state: string;
  nodeId: string;
}

/** Waits (up to 30 s) for a demo camera's server that is waiting for or receiving media. */
export async function liveSession(page: Page): Promise<DemoSession> {
  for (let i = 0; i < 60; i++) {
    const res = await page.request.get("/api/sessions?live=1&limit=100");
    const { sessions } = (await res.json()) as { sessions: DemoSession[] };
    const s = sessions.find((x) => x.state === "waiting" || x.state === "receiving");
    if (s) return s;
    await page.waitForTimeout(500);
  }
  throw new Error("no live session appeared");
}
