import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, startApp, type AppProcess } from "@/lib/testing/app-process";
import { openSqliteStore } from "@/lib/events/sqlite-store";
import { sessionLiveness } from "@/lib/ui/session-liveness";
import type { NodeStatus } from "@/lib/nodes/types";
import type { PortSession } from "@/lib/lifecycle/types";

/**
 * Started with the previous demo's database in place and one configured ZLM
 * that does not answer: nothing is shown as live (the old demo nodes' servers
 * are history, the unreachable node's unknown), /api/health answers 503
 * naming the node, and the console says so once.
 */
let app: AppProcess;
let dir: string;
let deadPort: number;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-stale-"));
  const db = path.join(dir, "portscope.db");
  // The previous run's log: two demo nodes with servers receiving media.
  const store = openSqliteStore(db);
  const at = Date.now() - 60_000;
  for (const node of ["demo", "demo-2"]) {
    for (let i = 0; i < 3; i++) {
      const key = `__defaultVhost__/rtp/3402000000132000000${i}`;
      await store.append([
        { at: at + i, nodeId: node, kind: "rtp.opened", key, port: 30000 + i * 2, source: "poll", payload: { port: 30000 + i * 2, tcp_mode: 0, ssrc: 200000000 + i } },
        { at: at + i + 100, nodeId: node, kind: "rtp.receiving", key, port: 30000 + i * 2, source: "hook", payload: {} },
      ]);
    }
  }
  await store.close();
  deadPort = await freePort(); // nothing listens here
  app = await startApp({ PORTSCOPE_DB: db, ZLM_URL: `http://127.0.0.1:${deadPort}`, ZLM_SECRET: "s3cret-not-shown", ZLM_NODE_ID: "zlm-x", PORTSCOPE_POLL_INTERVAL_MS: "500" }, { readyTimeoutMs: 60_000 });
});
afterAll(async () => {
  await app?.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

const json = async <T>(url: string) => (await (await app.fetch(url)).json()) as T;

describe("a stale database and an unreachable node", () => {
  it("shows nothing as live, answers non-ok health naming the node, and logs the outage once", async () => {
    // Wait for the first poll to fail.
    let nodes: NodeStatus[] = [];
    for (let i = 0; i < 100; i++) {
      nodes = (await json<{ nodes: NodeStatus[] }>(`${app.url}/api/nodes`)).nodes;
      if (nodes[0]?.reachability === "offline") break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(nodes.map((n) => [n.id, n.reachability])).toEqual([["zlm-x", "offline"]]);

    const health = await app.fetch(`${app.url}/api/health`);
    expect(health.status).toBe(503);
    const h = (await health.json()) as { ok: boolean; problems: string[]; nodes: { id: string; state: string; error: string | null }[] };
    expect(h.ok).toBe(false);
    expect(h.problems.join(" ")).toContain(`node zlm-x (http://127.0.0.1:${deadPort}) is unreachable`);
    expect(h.nodes).toEqual([expect.objectContaining({ id: "zlm-x", state: "unreachable" })]);
    expect(JSON.stringify(h)).not.toContain("s3cret-not-shown");

    // The old demo nodes' servers are still in the log, and none of them is live.
    const { sessions } = await json<{ sessions: PortSession[] }>(`${app.url}/api/sessions?live=1&limit=1000`);
    expect(sessions.length).toBe(6);
    expect(sessions.map((s) => sessionLiveness(s, nodes).kind)).toEqual(Array(6).fill("history"));

    // A few more failed polls: still one line for the outage.
    await new Promise((r) => setTimeout(r, 2000));
    const lines = app.output().split("\n").filter((l) => l.includes("node zlm-x") && l.includes("unreachable"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`http://127.0.0.1:${deadPort}`);
  });
});
