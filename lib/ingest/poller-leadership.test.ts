import { afterEach, beforeEach, expect, it } from "vitest";
import pg from "pg";
import { startPollerLeadership, type PollerLeadership } from "./poller-leadership.server";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/pg-test-db";
import { describePg } from "@/lib/testing/describe-pg";

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describePg("poller leadership (PostgreSQL advisory locks)", () => {
  let db: TestDatabase;
  const running: PollerLeadership[] = [];
  const nodes = ["zlm-1", "zlm-2", "zlm-3"];

  function member(name: string, polling: Map<string, string>, events: string[]): PollerLeadership {
    const l = startPollerLeadership({
      clientConfig: { connectionString: db.url },
      nodeIds: nodes,
      retryMs: 100,
      onLead: (id) => {
        // Two pollers of one node at the same time is the failure this exists to prevent.
        if (polling.has(id)) events.push(`DOUBLE ${id}`);
        polling.set(id, name);
        events.push(`${name} leads ${id}`);
      },
      onLose: (id) => {
        if (polling.get(id) === name) polling.delete(id);
        events.push(`${name} loses ${id}`);
      },
      log: () => undefined,
    });
    running.push(l);
    return l;
  }

  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    for (const l of running.splice(0)) await l.stop();
    await db.drop();
  });

  it("gives each node to exactly one instance, and hands it over when the holder stops", async () => {
    const polling = new Map<string, string>();
    const events: string[] = [];
    const a = member("A", polling, events);
    await until(() => a.led().length === 3, "A to lead every node");
    const b = member("B", polling, events);
    await new Promise((r) => setTimeout(r, 400)); // B tries several times meanwhile
    expect(b.led()).toEqual([]);
    await a.stop();
    await until(() => b.led().length === 3, "B to take every node");
    expect(events.filter((e) => e.startsWith("DOUBLE"))).toEqual([]);
    expect([...polling.values()]).toEqual(["B", "B", "B"]);
  });

  it("stops polling at once when the holder's session dies; each node is led again, never by two at a time", async () => {
    const polling = new Map<string, string>();
    const events: string[] = [];
    const a = member("A", polling, events);
    await until(() => a.led().length === 3, "A to lead");
    const b = member("B", polling, events);
    // What a killed process leaves behind: its session ends, and PostgreSQL releases its locks.
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'portscope-poller-lock' AND pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory')");
    await admin.end();
    await until(() => events.filter((e) => e.startsWith("A loses")).length === 3, "A to notice");
    await until(() => b.led().length + a.led().length === 3 && polling.size === 3, "the nodes to be led again");
    expect(events.filter((e) => e.startsWith("DOUBLE"))).toEqual([]);
    // A lived on and may have won its locks back first; a dead holder's nodes go to B (e2e/integration/scale-out.test.ts).
    expect(new Set([...a.led(), ...b.led()]).size).toBe(3);
  });

  it("leads nothing while the database cannot be reached", async () => {
    const polling = new Map<string, string>();
    const events: string[] = [];
    const bad = new URL(db.url);
    bad.port = "1";
    const l = startPollerLeadership({ clientConfig: { connectionString: bad.toString() }, nodeIds: nodes, retryMs: 50, onLead: (id) => events.push(id), onLose: () => undefined, log: () => undefined });
    running.push(l);
    await new Promise((r) => setTimeout(r, 300));
    expect(l.led()).toEqual([]);
    expect(events).toEqual([]);
    void polling;
  });
});
