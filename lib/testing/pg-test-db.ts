import { randomBytes } from "node:crypto";
import pg from "pg";

/**
 * PostgreSQL for tests: TEST_DATABASE_URL names a server where the tests may
 * create and drop databases of their own (.ci/run starts one and sets it).
 * Unset, the PostgreSQL suites are skipped and say so.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || null;
// .ci/run always starts one: there, a missing URL is a broken run, not a reason to skip.
if (!TEST_DATABASE_URL && process.env.CI === "true") throw new Error("CI=true but TEST_DATABASE_URL is unset: .ci/run starts a PostgreSQL server for the shared-log suites");
export const PG_SKIP_REASON = "PostgreSQL suites skipped: set TEST_DATABASE_URL=postgres://user@127.0.0.1:PORT/postgres (a server where tests may create databases)";

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the test server; drop() removes it (ending any session still on it). */
export async function createTestDatabase(prefix = "portscope_test"): Promise<TestDatabase> {
  if (!TEST_DATABASE_URL) throw new Error(PG_SKIP_REASON);
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL! });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
