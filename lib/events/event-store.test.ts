import { afterAll, beforeAll, describe, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { eventStoreContract } from "./event-store.contract";
import { openSqliteStore } from "./sqlite-store";
import { openPgStore } from "./pg-store.server";
import { createTestDatabase, PG_SKIP_REASON, TEST_DATABASE_URL, type TestDatabase } from "@/lib/testing/pg-test-db";

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

describe.skipIf(!TEST_DATABASE_URL)("event log contract: PostgreSQL", () => {
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

if (!TEST_DATABASE_URL) describe("event log contract: PostgreSQL", () => it.skip(PG_SKIP_REASON, () => undefined));
