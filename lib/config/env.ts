/**
 * Portscope's configuration, parsed once from the environment with zod. A bad
 * value stops start-up with a message that names the variable. Three ways to
 * name ZLM nodes: ZLM_URL + ZLM_SECRET (one node), PORTSCOPE_NODES (a JSON
 * file of nodes), or neither: demo mode, where Portscope runs the emulator.
 */
import { z } from "zod";

export class ConfigError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`${variable}: ${detail}`);
    this.name = "ConfigError";
  }
}

/** The race shield's policies (lib/tap/race-shield.ts); `absorb` is the one for wvp-like platforms. */
const SHIELD_POLICY_NAMES = ["off", "wait", "adopt", "takeover", "absorb"] as const;

const postgresUrl = z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL (postgres://user:password@host:5432/database)" });
const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });
const nodeId = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1-64 letters, digits, '.', '_' or '-'");

export const upstreamSchema = z.object({
  url: httpUrl,
  budgetMs: z.number().int().min(50).max(30_000).default(3000),
  fallback: z.record(z.string(), z.unknown()).default({ code: 0, msg: "success" }),
});

export const nodeSchema = z.object({
  id: nodeId,
  url: httpUrl,
  secret: z.string().min(1, "must not be empty"),
  label: z.string().min(1).max(100).optional(),
  /** ZLM's general.mediaServerId, if known up front (otherwise learned by polling). */
  mediaServerId: z.string().min(1).optional(),
  /** The business server ZLM called before Portscope (e.g. wvp-GB28181-pro), for hook forwarding. */
  upstreamHooks: upstreamSchema.optional(),
  /** A port that serves ZLM's own paths (`/index/api/...`) through the tap, for platforms that only take host:port. */
  tapPort: z.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(65535, "must be at most 65535").optional(),
  /** Opt-in handling of conflicting tapped opens (off by default). */
  raceShield: z
    .object({ policy: z.enum(SHIELD_POLICY_NAMES), deadlineMs: z.number().int().min(100).max(30_000).default(5000), idleMs: z.number().int().min(0).max(600_000).default(5000), minLifeMs: z.number().int().min(0).max(600_000).optional() })
    .optional(),
});
export type NodeConfig = z.infer<typeof nodeSchema>;

export type NodesConfig = { mode: "single" | "file"; nodes: NodeConfig[] } | {
      mode: "demo";
      cameras: number;
      timeoutSec: number;
      nodes: number;
      portRange: [number, number];
      /** "story": healthy cameras with a staged fault now and then; "flood": every failure pattern at its weight, all the time. */
      scenario: "story" | "flood";
      /** Story mode: seconds between staged faults (0 = none, a calm demo). */
      stageEverySec: number;
    };

export interface PortscopeConfig {
  port: number;
  nodes: NodesConfig;
  dbPath: string;
  /** DATABASE_URL: a PostgreSQL log shared by several instances; null = the SQLite file at dbPath. */
  databaseUrl: string | null;
  /** "normal": survives a Portscope crash; "full": also power loss (an fsync per group commit). */
  dbSync: "normal" | "full";
  /** Who commits the event log: a writer thread, the event loop ("inline"), or "auto" (thread with 4+ cores). */
  dbWriter: "auto" | "thread" | "inline";
  retentionDays: number;
  pollIntervalMs: number;
  /** Token ZLM must put in the hook URL query; null = none required (demo generates one). */
  hookToken: string | null;
  hookAllowSources: string[] | null;
  /** Lean ZLM-facing listener; null when PORTSCOPE_ZLM_PORT=off. */
  zlmPort: number | null;
  zlmHost: string;
  /** Who may scrape /metrics (lib/metrics/access.ts): a bearer token and/or source addresses; neither = loopback only. */
  metrics: { token: string | null; allow: string[] | null };
  /** Alert rules and notification channels (PORTSCOPE_ALERTS, a JSON file: lib/alerts/config-file.ts); null = none. */
  alertsPath: string | null;
}

type Env = Record<string, string | undefined>;

function parseWith<T>(variable: string, schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new ConfigError(variable, r.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ` : "") + i.message).join("; "));
  return r.data;
}

const intIn = (min: number, max: number) => z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

function optional<T>(env: Env, name: string, schema: z.ZodType<T>, fallback: T): T {
  const raw = env[name];
  return raw === undefined || raw === "" ? fallback : parseWith(name, schema, raw);
}

/** "30000-35000": an inclusive UDP/TCP port range, at least 10 ports wide. */
const portRange = z
  .string()
  .regex(/^\d{1,5}-\d{1,5}$/, 'must look like "30000-35000"')
  .transform((v) => v.split("-").map(Number) as [number, number])
  .refine(([a, b]) => a >= 1024 && b <= 65535 && b - a >= 10, "must lie within 1024-65535 and span at least 10 ports");

export function parseConfig(env: Env, readFile: (path: string) => string): PortscopeConfig {
  const hasUrl = !!env.ZLM_URL;
  const hasSecret = !!env.ZLM_SECRET;
  const hasFile = !!env.PORTSCOPE_NODES;
  if (hasFile && (hasUrl || hasSecret)) throw new ConfigError("PORTSCOPE_NODES", "set either PORTSCOPE_NODES or ZLM_URL/ZLM_SECRET, not both");
  if (hasUrl !== hasSecret) throw new ConfigError(hasUrl ? "ZLM_SECRET" : "ZLM_URL", `required when ${hasUrl ? "ZLM_URL" : "ZLM_SECRET"} is set`);

  let nodes: NodesConfig;
  if (hasUrl) {
    const upstreamUrl = env.ZLM_UPSTREAM_HOOK_URL;
    const node: NodeConfig = {
      id: optional(env, "ZLM_NODE_ID", nodeId, "zlm-1"),
      url: parseWith("ZLM_URL", httpUrl, env.ZLM_URL),
      secret: env.ZLM_SECRET!,
      label: env.ZLM_LABEL || undefined,
      mediaServerId: env.ZLM_MEDIA_SERVER_ID || undefined,
      tapPort: optional(env, "ZLM_TAP_PORT", intIn(1, 65535), undefined),
      raceShield: env.ZLM_RACE_SHIELD
        ? { policy: parseWith("ZLM_RACE_SHIELD", z.enum(SHIELD_POLICY_NAMES, { error: 'must be "off", "wait", "adopt", "takeover" or "absorb" (recommended for wvp-like platforms)' }), env.ZLM_RACE_SHIELD), deadlineMs: 5000, idleMs: 5000 }
        : undefined,
      upstreamHooks: upstreamUrl
        ? {
            url: parseWith("ZLM_UPSTREAM_HOOK_URL", httpUrl, upstreamUrl),
            budgetMs: optional(env, "ZLM_UPSTREAM_BUDGET_MS", intIn(50, 30_000), 3000),
            fallback: { code: 0, msg: "success" },
          }
        : undefined,
    };
    nodes = { mode: "single", nodes: [node] };
  } else if (hasFile) {
    let text: string;
    try {
      text = readFile(env.PORTSCOPE_NODES!);
    } catch (err) {
      throw new ConfigError("PORTSCOPE_NODES", `cannot read ${env.PORTSCOPE_NODES}: ${err instanceof Error ? err.message : String(err)}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ConfigError("PORTSCOPE_NODES", `${env.PORTSCOPE_NODES} is not valid JSON`);
    }
    const list = parseWith("PORTSCOPE_NODES", z.array(nodeSchema).min(1, "must list at least one node"), json);
    const dup = list.find((n, i) => list.findIndex((m) => m.id === n.id) !== i);
    if (dup) throw new ConfigError("PORTSCOPE_NODES", `node id "${dup.id}" appears twice`);
    nodes = { mode: "file", nodes: list };
  } else {
    nodes = {
      mode: "demo",
      cameras: optional(env, "PORTSCOPE_DEMO_CAMERAS", intIn(0, 500), 12),
      timeoutSec: optional(env, "PORTSCOPE_DEMO_TIMEOUT_SEC", intIn(1, 600), 15),
      nodes: optional(env, "PORTSCOPE_DEMO_NODES", intIn(1, 8), 2),
      portRange: optional(env, "PORTSCOPE_DEMO_PORT_RANGE", portRange, [30000, 35000]),
      scenario: optional(env, "PORTSCOPE_DEMO_SCENARIO", z.enum(["story", "flood"], { error: 'must be "story" or "flood"' }), "story"),
      stageEverySec: optional(env, "PORTSCOPE_DEMO_STAGE_EVERY_SEC", intIn(0, 86_400), 120),
    };
  }

  const zlmPortRaw = env.PORTSCOPE_ZLM_PORT;
  const zlmPort = zlmPortRaw === "off" ? null : optional(env, "PORTSCOPE_ZLM_PORT", intIn(0, 65535), 3001);
  const port = optional(env, "PORT", intIn(1, 65535), 3000);
  if (nodes.mode !== "demo") checkTapPorts(nodes, port, zlmPort);
  const allow = env.PORTSCOPE_HOOK_ALLOW ? env.PORTSCOPE_HOOK_ALLOW.split(",").map((s) => s.trim()).filter(Boolean) : null;
  if (allow) for (const ip of allow) parseWith("PORTSCOPE_HOOK_ALLOW", z.union([z.ipv4(), z.ipv6()], { error: `"${ip}" is not an IP address` }), ip);
  const metricsAllow = env.PORTSCOPE_METRICS_ALLOW ? env.PORTSCOPE_METRICS_ALLOW.split(",").map((s) => s.trim()).filter(Boolean) : null;
  if (metricsAllow) for (const ip of metricsAllow) parseWith("PORTSCOPE_METRICS_ALLOW", z.union([z.ipv4(), z.ipv6()], { error: `"${ip}" is not an IP address` }), ip);

  return {
    port,
    nodes,
    dbPath: env.PORTSCOPE_DB || "./data/portscope.db",
    databaseUrl: env.DATABASE_URL ? parseWith("DATABASE_URL", postgresUrl, env.DATABASE_URL) : null,
    dbSync: optional(env, "PORTSCOPE_DB_SYNC", z.enum(["normal", "full"], { error: 'must be "normal" or "full"' }), "normal"),
    dbWriter: optional(env, "PORTSCOPE_DB_WRITER", z.enum(["auto", "thread", "inline"], { error: 'must be "auto", "thread" or "inline"' }), "auto"),
    retentionDays: optional(env, "PORTSCOPE_RETENTION_DAYS", z.coerce.number({ error: "must be a number" }).positive("must be positive").max(3650), 7),
    pollIntervalMs: optional(env, "PORTSCOPE_POLL_INTERVAL_MS", intIn(100, 600_000), 2000),
    hookToken: env.PORTSCOPE_HOOK_TOKEN ? parseWith("PORTSCOPE_HOOK_TOKEN", z.string().regex(/^[A-Za-z0-9._~-]{8,200}$/, "must be 8-200 URL-safe characters"), env.PORTSCOPE_HOOK_TOKEN) : null,
    hookAllowSources: allow,
    zlmPort,
    zlmHost: env.PORTSCOPE_ZLM_HOST || "0.0.0.0",
    metrics: {
      token: env.PORTSCOPE_METRICS_TOKEN ? parseWith("PORTSCOPE_METRICS_TOKEN", z.string().regex(/^[A-Za-z0-9._~+/=-]{16,200}$/, "must be 16-200 token characters (letters, digits, ._~+/=-)"), env.PORTSCOPE_METRICS_TOKEN) : null,
      allow: metricsAllow,
    },
    alertsPath: env.PORTSCOPE_ALERTS || null,
  };
}

/** Every listener needs its own port: a node's tap port may not be another node's, the hook listener's or the dashboard's. */
function checkTapPorts(nodes: { mode: "single" | "file"; nodes: NodeConfig[] }, port: number, zlmPort: number | null): void {
  const variable = nodes.mode === "single" ? "ZLM_TAP_PORT" : "PORTSCOPE_NODES";
  const taken = new Map<number, string>([[port, "PORT"]]);
  if (zlmPort !== null && zlmPort !== 0) taken.set(zlmPort, "PORTSCOPE_ZLM_PORT");
  for (const n of nodes.nodes) {
    if (n.tapPort === undefined) continue;
    const owner = taken.get(n.tapPort);
    if (owner) throw new ConfigError(variable, `tap port ${n.tapPort} of node "${n.id}" is already used by ${owner}`);
    taken.set(n.tapPort, `node "${n.id}"`);
  }
}
