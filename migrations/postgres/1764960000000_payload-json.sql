-- Up Migration
-- Payloads as json, not jsonb: nothing queries inside them in SQL, and json stores the text as
-- given (one validating parse) where jsonb builds a binary tree on every insert and turns it back
-- into text on every read. Measured with bench/scale-out.ts (docs/performance.md). json also keeps
-- the payload's key order, so a stored observed config reads back as it was written.
ALTER TABLE events ALTER COLUMN payload TYPE json USING payload::json;

-- Down Migration
ALTER TABLE events ALTER COLUMN payload TYPE jsonb USING payload::jsonb;
