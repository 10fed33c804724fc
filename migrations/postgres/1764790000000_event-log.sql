-- Up Migration
-- The event log on PostgreSQL (lib/events/pg-store.server.ts). Ids are assigned by the one writer
-- holding the event_head row lock, so they commit in id order; `at` grows with them, so a BRIN
-- index on it stays a few pages and retention deletes whole old block ranges.
CREATE TABLE events (
  id bigint PRIMARY KEY,
  at bigint NOT NULL,
  node_id text NOT NULL,
  kind text NOT NULL,
  key text,
  port integer,
  source text NOT NULL,
  hook_index integer,
  payload jsonb NOT NULL
);
CREATE INDEX events_at_brin ON events USING brin (at) WITH (pages_per_range = 32);
CREATE INDEX events_node_at ON events (node_id, at);
CREATE INDEX events_key_at ON events (key, at) WHERE key IS NOT NULL;
CREATE INDEX events_port_at ON events (port, at) WHERE port IS NOT NULL;

-- The highest id ever handed out (never goes back, even when retention empties the table).
-- Its row lock is the log's single-writer lock.
CREATE TABLE event_head (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  last_id bigint NOT NULL
);
INSERT INTO event_head (one, last_id) VALUES (true, 0);

-- Down Migration
DROP TABLE event_head;
DROP TABLE events;
