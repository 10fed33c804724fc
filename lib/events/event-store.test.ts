import { afterAll, beforeAll, describe } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { eventStoreContract } from "./event-store.contract";
import { openSqliteStore } from "./sqlite-store";
import { openPgStore } from "./pg-store.server";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/pg-test-db";
import { describePg } from "@/lib/testing/describe-pg";

describe("event log contract: SQLite", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-contract-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  eventStoreContract({
    open: async () => openSqliteStore(path.join(dir, "events.db")),
    reset: async () => {
      for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f), { force: true });
    },
  });
});

describePg("event log contract: PostgreSQL", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());
  eventStoreContract({
    open: () => openPgStore(db.url),
    reset: async () => {
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      // The first open migrates; before it there is nothing to empty.
      await c.query("DO $$ BEGIN IF to_regclass('events') IS NOT NULL THEN TRUNCATE events; UPDATE event_head SET last_id = 0; END IF; END $$");
      await c.end();
    },
  });
});

