import "server-only";
import pg from "pg";

/**
 * One poller per ZLM node across every instance sharing a PostgreSQL: an
 * instance polls a node only while it holds that node's session-level
 * advisory lock on a connection of its own. When the holder dies its
 * connection closes, PostgreSQL releases the lock, and another instance's
 * next attempt (every `retryMs`) takes it: fail-over takes about `retryMs`.
 * A holder whose connection fails (or stops answering the heartbeat within
 * `timeoutMs`) stops polling at once rather than risk two pollers.
 */
export interface PollerLeadership {
  /** The nodes this instance polls now. */
  led(): string[];
  stop(): Promise<void>;
}

export interface LeadershipOptions {
  clientConfig: pg.ClientConfig;
  nodeIds: string[];
  onLead(nodeId: string): void;
  onLose(nodeId: string): void;
  retryMs?: number;
  timeoutMs?: number;
  log?: (line: string) => void;
}

/** The advisory lock key of a node: one 32-bit namespace for Portscope's pollers, the node id hashed by PostgreSQL. */
const LOCK_SQL = "SELECT pg_try_advisory_lock(hashtext('portscope.poller'), hashtext($1)) AS ok";

export function startPollerLeadership(opts: LeadershipOptions): PollerLeadership {
  const retryMs = opts.retryMs ?? 1000;
  const timeoutMs = opts.timeoutMs ?? Math.max(2000, 2 * retryMs);
  const log = opts.log ?? ((line) => console.log(line));
  const held = new Set<string>();
  let client: pg.Client | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();

  const loseAll = (why: string) => {
    for (const id of held) {
      log(`portscope: stopped polling node ${id} (${why})`);
      opts.onLose(id);
    }
    held.clear();
  };

  const drop = async (c: pg.Client, why: string) => {
    if (client === c) client = null;
    loseAll(why);
    await c.end().catch(() => undefined);
  };

  const withTimeout = <T>(p: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no answer from PostgreSQL within ${timeoutMs} ms`)), timeoutMs);
      p.then((v) => (clearTimeout(t), resolve(v)), (e: unknown) => (clearTimeout(t), reject(e)));
    });

  const tick = async () => {
    if (stopped) return;
    let c = client;
    try {
      if (!c) {
        c = new pg.Client({ ...opts.clientConfig, application_name: "portscope-poller-lock" });
        const mine = c;
        mine.on("error", () => void drop(mine, "lost its PostgreSQL session"));
        mine.on("end", () => void drop(mine, "lost its PostgreSQL session"));
        await withTimeout(mine.connect());
        client = mine;
      }
      // The heartbeat: a holder that cannot reach the database must not keep polling.
      if (held.size > 0) await withTimeout(c.query("SELECT 1"));
      for (const id of opts.nodeIds) {
        if (held.has(id) || stopped) continue;
        const r = await withTimeout(c.query<{ ok: boolean }>(LOCK_SQL, [id]));
        if (r.rows[0]?.ok && !stopped) {
          held.add(id);
          log(`portscope: this instance polls node ${id}`);
          opts.onLead(id);
        }
      }
    } catch (err) {
      if (c) await drop(c, err instanceof Error ? err.message : String(err));
    }
  };

  const loop = () => {
    if (stopped) return;
    running = tick().finally(() => {
      if (stopped) return;
      timer = setTimeout(loop, retryMs);
      timer.unref?.();
    });
  };
  loop();

  return {
    led: () => [...held],
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      const c = client;
      client = null;
      loseAll("shutting down");
      // Closing the session releases its locks: another instance takes the nodes on its next attempt.
      await c?.end().catch(() => undefined);
    },
  };
}
