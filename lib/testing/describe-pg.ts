import { describe, it } from "vitest";
import { PG_SKIP_REASON, TEST_DATABASE_URL } from "./pg-test-db";

/**
 * A suite that needs PostgreSQL. With TEST_DATABASE_URL set it runs; without, it shows as one
 * skipped test whose name says how to run it. Under CI=true a missing URL is never a skip:
 * pg-test-db throws on import, since .ci/run always starts a server.
 */
export function describePg(name: string, suite: () => void): void {
  if (TEST_DATABASE_URL) describe(name, suite);
  else describe(name, () => it.skip(PG_SKIP_REASON, () => undefined));
}
