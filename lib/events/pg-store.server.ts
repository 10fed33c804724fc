import "server-only";
import { randomUUID } from "node:crypto";
import path from "node:path";
import pg from "pg";
import type { EventQuery, EventStore, NewEvent, PortscopeEvent } from "./types";

/**
 * The event log on PostgreSQL, for several Portscope instances sharing one
 * log (DATABASE_URL). Every commit takes the `event_head` row lock first, so
 * there is one writer at a time across the cluster: it reads what others
 * committed since it last looked, assigns the next ids and commits. Ids
 * therefore become visible strictly in order, with no hole a reader could
 * skip past (a sequence would hand ids to concurrent transactions that commit
 * out of order). NOTIFY tells every other instance the new head; readers fetch by id.
 *
 * A commit notifies only while another instance listens. Each store that
 * follows the log says so on PEERS_CHANNEL: "join <id>" when its LISTEN session
 * starts (others answer "here <id>"), "here <id>" every few seconds, "leave <id>"
 * when it stops. A lone instance's NOTIFY woke only its own LISTEN session, and
 * cost about a tenth of its hook throughput on the 2-core box (PostgreSQL
 * signalling the listening backend, that backend sending, Portscope reading).
 */
export const COMMIT_CHANNEL = "portscope_events";
export const PEERS_CHANNEL = "portscope_peers";
const MAX_LIMIT = 10_000;
const PRUNE_CHUNK = 5000;

interface Row {
  id: number;
  at: number;
  node_id: string;
  kind: string;
  key: string | null;
  port: number | null;
  source: string;
  hook_index: number | null;
  payload: Record<string, unknown>;
}

export interface CommitResult {
  /** Events other writers committed after `afterId`, in id order (what `build` was shown). */
  newer: PortscopeEvent[];
  /** What `build` returned, now committed. */
  added: PortscopeEvent[];
}

/**
 * The cluster-wide write lock, held: one open transaction that owns the `event_head` row. Exactly
 * one of `commit` and `abort` ends it.
 */
export interface HeadLock {
  /** The last id committed when the lock was granted. */
  readonly head: number;
  /** Events committed after `afterId`, in id order (under the lock nobody adds more). */
  newer(afterId: number): Promise<PortscopeEvent[]>;
  /** Commits `events` (ids strictly increasing, above `head`) and releases the lock. */
  commit(events: PortscopeEvent[]): Promise<void>;
  /** Releases the lock without writing. Never throws. */
  abort(): Promise<void>;
}

export interface PgEventStore extends EventStore {
  readonly kind: "postgres";
  /** Waits for the cluster-wide write lock (one writer at a time across every instance). */
  lock(): Promise<HeadLock>;
  /**
   * One commit under the cluster-wide write lock: `build` is shown every event committed after
   * `afterId` (null: none are read) and the first free id, and returns the events to add with their
   * ids (strictly increasing, from that id on). Resolves once they are committed.
   */
  commitAfter(afterId: number | null, build: (newer: PortscopeEvent[], nextId: number) => PortscopeEvent[]): Promise<CommitResult>;
  /** Called with the head id after every commit of any instance (LISTEN); also after a reconnect. */
  onCommit(listener: (headId: number) => void): Promise<() => Promise<void>>;
  /** A connection string for companions that need a session of their own (poller leadership). */
  readonly connectionString: string;
  /** How many other instances follow the log now (heard on PEERS_CHANNEL within the TTL): commits notify only while there are any. */
  listeningPeers(): number;
}

export interface PgStoreOptions {
  /**
   * "normal" (default): commits do not wait for PostgreSQL's WAL flush (synchronous_commit=off), so
   * an acknowledged hook survives a Portscope crash and a PostgreSQL restart, and a crash of the
   * database host loses at most its last few hundred milliseconds (never corrupts): the same promise
   * as SQLite's synchronous=NORMAL. "full": each commit waits for the flush (power loss too).
   */
  synchronous?: "normal" | "full";
  /** Where the versioned SQL migrations live (default: migrations/postgres under the working directory). */
  migrationsDir?: string;
  poolSize?: number;
  /** How often a following store says it is there (default 5 s). */
  peerHeartbeatMs?: number;
  /** How long a peer counts as listening after it was last heard (default 15 s, three heartbeats). */
  peerTtlMs?: number;
}

/** int8 (ids, epoch ms) as numbers: both stay far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => (oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser,
};

export function pgClientConfig(connectionString: string, synchronous: "normal" | "full" = "normal"): pg.ClientConfig {
  return { connectionString, types, keepAlive: true, application_name: "portscope", options: `-c synchronous_commit=${synchronous === "full" ? "on" : "off"}` };
}

export async function openPgStore(connectionString: string, opts: PgStoreOptions = {}): Promise<PgEventStore> {
  await migrate(connectionString, opts.migrationsDir ?? path.resolve("migrations/postgres"));
  // Two sessions stay open through quiet spells (pg-pool closes idle ones after 10 s): after a pause
  // the first commit would otherwise wait for a new connection, and the hooks queued behind it too.
  const pool = new pg.Pool({ ...pgClientConfig(connectionString, opts.synchronous), max: opts.poolSize ?? 8, min: 2 });
  // An idle pooled connection that dies (server restart) must not take the process down.
  pool.on("error", (err) => console.error("portscope: PostgreSQL pool connection failed", err.message));
  const listeners: pg.Client[] = [];
  let closed = false;
  const self = randomUUID();
  const heartbeatMs = opts.peerHeartbeatMs ?? 5000;
  const peerTtlMs = opts.peerTtlMs ?? 15_000;
  /** Other instances following the log: id -> when last heard. */
  const peers = new Map<string, number>();
  function listeningPeers(): number {
    const now = Date.now();
    for (const [id, at] of peers) if (now - at > peerTtlMs) peers.delete(id);
    return peers.size;
  }

  async function lock(): Promise<HeadLock> {
    if (closed) throw new Error("event store is closed");
    const client = await pool.connect();
    let done = false;
    // A connection whose transaction failed is dropped rather than reused.
    const fail = async (err: unknown): Promise<never> => {
      done = true;
      await client.query("ROLLBACK").catch(() => undefined);
      client.release(err instanceof Error ? err : new Error(String(err)));
      throw err;
    };
    let head = 0;
    try {
      // BEGIN and the lock in one round trip; the lock is held until COMMIT.
      const [, locked] = (await client.query("BEGIN; SELECT last_id FROM event_head FOR UPDATE")) as unknown as pg.QueryResult<{ last_id: number }>[];
      head = locked.rows[0].last_id;
    } catch (err) {
      await fail(err);
    }
    const guard = () => {
      if (done) throw new Error("the event log's write lock was already released");
    };
    return {
      head,
      async newer(afterId) {
        guard();
        if (head <= afterId) return [];
        try {
          return (await client.query<Row>("SELECT * FROM events WHERE id > $1 ORDER BY id", [afterId])).rows.map(toEvent);
        } catch (err) {
          return fail(err);
        }
      },
      async commit(events) {
        guard();
        try {
          if (events.length === 0) {
            await client.query("COMMIT");
          } else {
            let last = head;
            for (const e of events) {
              if (!(e.id > last)) throw new Error(`event id ${e.id} is not above ${last}`);
              last = e.id;
            }
            // The insert, the new head, the notification and COMMIT in one round trip (a simple query may
            // hold several statements; on an error PostgreSQL runs none after it, and the ROLLBACK ends the
            // transaction). With the lock's round trip that is two per commit instead of three: on the
            // 2-core box each round trip waits for both processes to be scheduled, and the commit holds the
            // cluster-wide lock for all of them. NOTIFY rather than SELECT pg_notify(): no row to parse;
            // and only while another instance listens (see PEERS_CHANNEL).
            const notify = listeningPeers() > 0 ? `NOTIFY ${COMMIT_CHANNEL}, '${last}';\n` : "";
            await client.query(`${insertSql(events, quoteLiteral)};\nUPDATE event_head SET last_id = ${last};\n${notify}COMMIT`);
          }
        } catch (err) {
          return fail(err);
        }
        done = true;
        client.release();
      },
      async abort() {
        if (done) return;
        done = true;
        try {
          await client.query("ROLLBACK");
          client.release();
        } catch (err) {
          client.release(err instanceof Error ? err : new Error(String(err)));
        }
      },
    };
  }

  async function commitAfter(afterId: number | null, build: (newer: PortscopeEvent[], nextId: number) => PortscopeEvent[]): Promise<CommitResult> {
    const held = await lock();
    let newer: PortscopeEvent[];
    let added: PortscopeEvent[];
    try {
      newer = afterId === null ? [] : await held.newer(afterId);
      added = build(newer, held.head + 1);
    } catch (err) {
      await held.abort();
      throw err;
    }
    await held.commit(added);
    return { newer, added };
  }

  async function query(q: EventQuery): Promise<PortscopeEvent[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: (n: string) => string, value: unknown) => {
      args.push(value);
      where.push(sql(`$${args.length}`));
    };
    if (q.nodeId !== undefined) add((n) => `node_id = ${n}`, q.nodeId);
    if (q.key !== undefined) add((n) => `key = ${n}`, q.key);
    if (q.port !== undefined) add((n) => `port = ${n}`, q.port);
    if (q.kinds?.length) add((n) => `kind = ANY(${n}::text[])`, q.kinds);
    if (q.from !== undefined) add((n) => `at >= ${n}`, q.from);
    if (q.to !== undefined) add((n) => `at < ${n}`, q.to);
    if (q.afterId !== undefined) add((n) => `id > ${n}`, q.afterId);
    if (q.throughId !== undefined) add((n) => `id <= ${n}`, q.throughId);
    const limit = Math.max(1, Math.min(q.limit ?? 1000, MAX_LIMIT));
    const sql = `SELECT * FROM events ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id ${q.order === "desc" ? "DESC" : "ASC"} LIMIT ${limit}`;
    return (await pool.query<Row>(sql, args)).rows.map(toEvent);
  }

  async function headId(): Promise<number> {
    return (await pool.query<{ last_id: number }>("SELECT last_id FROM event_head")).rows[0].last_id;
  }

  async function listen(listener: (headId: number) => void): Promise<() => Promise<void>> {
    let client: pg.Client | null = null;
    let stopped = false;
    let retry: NodeJS.Timeout | null = null;
    const reportHead = () => void headId().then((id) => !stopped && listener(id), () => undefined);
    const say = (c: pg.Client, what: "join" | "here" | "leave") => c.query(`NOTIFY ${PEERS_CHANNEL}, '${what} ${self}'`);
    const heardPeer = (c: pg.Client, payload: string) => {
      const [what, id] = payload.split(" ");
      if (!id || id === self) return;
      if (what === "leave") return void peers.delete(id);
      listeningPeers(); // drops peers past the TTL first
      const known = peers.has(id);
      peers.set(id, Date.now());
      if (what === "join") say(c, "here").catch(() => undefined);
      if (known) return;
      // A peer we did not know may have committed without notifying before it heard of us: read the head again
      // once its commits in flight have ended (the safety poll covers anything later still).
      for (const ms of [200, 1000]) setTimeout(reportHead, ms).unref?.();
    };
    const connect = async (): Promise<void> => {
      const c = new pg.Client({ ...pgClientConfig(connectionString), application_name: "portscope-listen" });
      c.on("notification", (n) => {
        if (n.channel === PEERS_CHANNEL) return heardPeer(c, n.payload ?? "");
        const id = Number(n.payload);
        if (Number.isFinite(id)) listener(id);
      });
      // A lost LISTEN session may have missed notifications: reconnect, then report the head once.
      c.on("error", () => undefined);
      c.on("end", () => {
        if (stopped || client !== c) return;
        client = null;
        retry = setTimeout(() => void connect().catch(() => undefined), 1000);
        retry.unref?.();
      });
      try {
        await c.connect();
        // Listening before saying "join": the answers, and commits notified from then on, all reach this session.
        await c.query(`LISTEN ${COMMIT_CHANNEL}; LISTEN ${PEERS_CHANNEL}`);
        await say(c, "join");
      } catch (err) {
        await c.end().catch(() => undefined);
        if (stopped) return;
        retry = setTimeout(() => void connect().catch(() => undefined), 1000);
        retry.unref?.();
        throw err;
      }
      client = c;
      listeners.push(c);
      listener(await headId());
    };
    await connect();
    // Started once the first session is up (a store whose LISTEN failed at start-up leaves no timer behind).
    const heartbeat = setInterval(() => {
      if (closed) return clearInterval(heartbeat);
      if (client) say(client, "here").catch(() => undefined);
    }, heartbeatMs);
    heartbeat.unref?.();
    return async () => {
      stopped = true;
      clearInterval(heartbeat);
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      if (c) await say(c, "leave").catch(() => undefined);
      await c?.end().catch(() => undefined);
    };
  }

  return {
    kind: "postgres",
    connectionString,
    listeningPeers,
    lock,
    commitAfter,
    onCommit: listen,
    async append(events: NewEvent[]) {
      if (events.length === 0) return [];
      const { added } = await commitAfter(null, (_newer, nextId) => events.map((e, i) => ({ ...e, id: nextId + i })));
      return added;
    },
    query,
    lastId: headId,
    async firstId() {
      return (await pool.query<{ id: number | null }>("SELECT min(id) AS id FROM events")).rows[0].id ?? 0;
    },
    async prune(before: number) {
      // Old rows sit in the oldest block ranges (BRIN on at): each chunk reads only those.
      let total = 0;
      for (;;) {
        const n = (await pool.query(`DELETE FROM events WHERE id IN (SELECT id FROM events WHERE at < $1 ORDER BY id LIMIT ${PRUNE_CHUNK})`, [before])).rowCount ?? 0;
        total += n;
        if (n < PRUNE_CHUNK) return total;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const c of listeners) await c.end().catch(() => undefined);
      await pool.end();
    },
  };
}

/**
 * One multi-row insert as literal SQL: numbers checked to be safe integers, text through the
 * driver's literal escaping (standard_conforming_strings is on since PostgreSQL 9.1, and
 * escapeLiteral writes E'' strings whenever a backslash is present).
 */
export function insertSql(events: PortscopeEvent[], literal: (text: string) => string): string {
  const rows: string[] = [];
  for (const e of events) {
    rows.push(`(${int(e.id)},${int(e.at)},${literal(e.nodeId)},${literal(e.kind)},${e.key === null ? "NULL" : literal(e.key)},${intOrNull(e.port)},${literal(e.source)},${intOrNull(e.hookIndex ?? null)},${literal(JSON.stringify(e.payload))}::json)`);
  }
  return `INSERT INTO events (id, at, node_id, kind, key, port, source, hook_index, payload) VALUES ${rows.join(",")}`;
}

/**
 * The driver's escaping, skipped for the usual text with neither quote nor backslash: its loop
 * builds the literal a character at a time, and a hook's payload is hundreds of characters.
 */
export function quoteLiteral(text: string): string {
  return /['\\]/.test(text) ? pg.escapeLiteral(text) : `'${text}'`;
}

function int(v: number): string {
  if (!Number.isSafeInteger(v)) throw new Error(`not an integer for the event log: ${String(v)}`);
  return String(v);
}

/** Port and hook_index are int columns: a value that is not a 32-bit integer is stored as NULL rather than failing the whole batch. */
function intOrNull(v: number | null): string {
  return v !== null && Number.isInteger(v) && Math.abs(v) <= 2_147_483_647 ? String(v) : "NULL";
}

function toEvent(r: Row): PortscopeEvent {
  return { id: r.id, at: r.at, nodeId: r.node_id, kind: r.kind as PortscopeEvent["kind"], key: r.key, port: r.port, source: r.source as PortscopeEvent["source"], hookIndex: r.hook_index, payload: r.payload };
}

/**
 * Versioned SQL migrations with node-pg-migrate (its own table and advisory lock, so instances
 * starting together migrate once). A failure stops start-up naming DATABASE_URL.
 */
async function migrate(connectionString: string, dir: string): Promise<void> {
  const { runner } = await import("node-pg-migrate");
  const client = new pg.Client(pgClientConfig(connectionString));
  try {
    await client.connect();
    await runner({ dbClient: client, dir, direction: "up", migrationsTable: "portscope_migrations", count: Infinity, log: () => undefined, checkOrder: true });
  } finally {
    await client.end().catch(() => undefined);
  }
}
