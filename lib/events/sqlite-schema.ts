import "server-only";
import type Database from "better-sqlite3";

/**
 * Schema of the SQLite event log, versioned with `PRAGMA user_version`.
 * MIGRATIONS[i] takes a database from version i to i + 1; a later change
 * appends a step here and never edits a shipped one, so every existing file
 * can be brought forward in order.
 */
export const MIGRATIONS: readonly string[] = [
  // 0 -> 1: the log and the indexes behind "history of one node / stream / port in a time
  // range" and pruning by age. Partial indexes skip node-wide rows; `key = ?` and `port = ?`
  // imply NOT NULL, so SQLite still uses them for those lookups.
  `
  CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    node_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    key TEXT,
    port INTEGER,
    source TEXT NOT NULL,
    hook_index INTEGER,
    payload TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS events_node_at ON events (node_id, at);
  CREATE INDEX IF NOT EXISTS events_key_at ON events (key, at) WHERE key IS NOT NULL;
  CREATE INDEX IF NOT EXISTS events_port_at ON events (port, at) WHERE port IS NOT NULL;
  CREATE INDEX IF NOT EXISTS events_at ON events (at);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function schemaVersion(db: Database.Database): number {
  return db.pragma("user_version", { simple: true }) as number;
}

/** Applies every pending step, each in its own transaction together with its version bump. */
export function migrate(db: Database.Database): void {
  const current = schemaVersion(db);
  if (current > SCHEMA_VERSION) {
    throw new Error(`event log ${db.name} has schema version ${current}, newer than this build understands (${SCHEMA_VERSION}); refusing to open it`);
  }
  for (let v = current; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
