/**
 * The alerts file (PORTSCOPE_ALERTS): notification channels, rules on
 * incidents and on metrics, and the delivery policy. Parsed once at start-up
 * with zod; a bad file stops start-up with a ConfigError naming the variable,
 * the file and the field (docs/alerts.md has an example).
 */
import { z } from "zod";
import { ConfigError } from "../config/env";

export const NOTIFY_FORMATS = ["webhook", "wecom", "dingtalk", "feishu", "slack"] as const;
export type NotifyFormat = (typeof NOTIFY_FORMATS)[number];

export const ANOMALY_KINDS = ["waiting_past_timeout", "media_without_server", "repeated_timeouts", "exists_but_absent", "port_pool_high", "ghost_receiver", "vanished_without_hook"] as const;
export const SEVERITIES = ["critical", "warning", "info"] as const;

/** Per-node values a metric rule can watch (lib/alerts/metric-values.ts reads them). */
export const ALERT_METRICS = ["port_pool_used_ratio", "port_pool_used", "rtp_servers", "rtp_servers_waiting", "timeouts_per_minute", "open_failures_per_minute", "already_exists_per_minute", "node_down"] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];

const id = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1-64 letters, digits, '.', '_' or '-'");
/** `*` matches any run of characters; anything else matches itself. */
const pattern = z.string().min(1).max(200);

const channelSchema = z
  .object({
    id,
    format: z.enum(NOTIFY_FORMATS, { error: `must be one of ${NOTIFY_FORMATS.join(", ")}` }),
    url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
    /** DingTalk / Feishu signing secret (the robot's "sign" security setting). */
    secret: z.string().min(1).max(500).optional(),
    /** Extra request headers (generic webhook only, e.g. an Authorization header). */
    headers: z.record(z.string(), z.string()).optional(),
  })
  .strict();

const base = {
  id,
  name: z.string().min(1).max(200).optional(),
  node: pattern.default("*"),
  /** How long the condition must last before the alert fires. */
  forSeconds: z.number().min(0).max(86_400).default(0),
  /** Channel ids; omitted = every channel. */
  channels: z.array(id).optional(),
};

const incidentRuleSchema = z
  .object({
    ...base,
    on: z.literal("incident"),
    kinds: z.array(z.enum(ANOMALY_KINDS)).min(1).optional(),
    key: pattern.optional(),
    /** Incident severities that match; omitted = all. */
    severities: z.array(z.enum(SEVERITIES)).min(1).optional(),
    /** The alert's severity; omitted = the incident's. */
    severity: z.enum(SEVERITIES).optional(),
  })
  .strict();

const metricRuleSchema = z
  .object({
    ...base,
    on: z.literal("metric"),
    metric: z.enum(ALERT_METRICS, { error: `must be one of ${ALERT_METRICS.join(", ")}` }),
    op: z.enum([">", ">=", "<", "<="]).default(">"),
    threshold: z.number(),
    severity: z.enum(SEVERITIES).default("warning"),
  })
  .strict();

export const alertsFileSchema = z
  .object({
    channels: z.array(channelSchema).default([]),
    rules: z.array(z.discriminatedUnion("on", [incidentRuleSchema, metricRuleSchema], { error: 'each rule needs "on": "incident" or "metric"' })).default([]),
    delivery: z
      .object({
        attempts: z.number().int().min(1).max(20).default(6),
        baseDelayMs: z.number().int().min(10).max(600_000).default(1000),
        maxDelayMs: z.number().int().min(10).max(3_600_000).default(60_000),
        timeoutMs: z.number().int().min(100).max(60_000).default(5000),
        /** Deliveries waiting beyond this are given up (recorded), so a dead receiver cannot grow memory. */
        maxQueued: z.number().int().min(1).max(100_000).default(1000),
      })
      .strict()
      .default({ attempts: 6, baseDelayMs: 1000, maxDelayMs: 60_000, timeoutMs: 5000, maxQueued: 1000 }),
    /** How often rules are evaluated. */
    evaluateEveryMs: z.number().int().min(100).max(60_000).default(1000),
    /** Link put in messages, e.g. the dashboard's public URL. */
    dashboardUrl: z.url().optional(),
  })
  .strict();

export type AlertsConfig = z.infer<typeof alertsFileSchema>;
export type AlertRule = AlertsConfig["rules"][number];
export type IncidentRule = Extract<AlertRule, { on: "incident" }>;
export type MetricRule = Extract<AlertRule, { on: "metric" }>;
export type Channel = AlertsConfig["channels"][number];
export type DeliveryPolicy = AlertsConfig["delivery"];

export const NO_ALERTS: AlertsConfig = alertsFileSchema.parse({});

export function parseAlertsFile(text: string, file: string): AlertsConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError("PORTSCOPE_ALERTS", `${file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const r = alertsFileSchema.safeParse(json);
  if (!r.success) throw new ConfigError("PORTSCOPE_ALERTS", `${file}: ${r.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ` : "") + i.message).join("; ")}`);
  const cfg = r.data;
  const dupe = (ids: string[]) => ids.find((x, i) => ids.indexOf(x) !== i);
  const dupChannel = dupe(cfg.channels.map((c) => c.id));
  if (dupChannel) throw new ConfigError("PORTSCOPE_ALERTS", `${file}: channel id "${dupChannel}" appears twice`);
  const dupRule = dupe(cfg.rules.map((c) => c.id));
  if (dupRule) throw new ConfigError("PORTSCOPE_ALERTS", `${file}: rule id "${dupRule}" appears twice`);
  for (const rule of cfg.rules) {
    for (const ch of rule.channels ?? []) if (!cfg.channels.some((c) => c.id === ch)) throw new ConfigError("PORTSCOPE_ALERTS", `${file}: rule "${rule.id}" names channel "${ch}", which is not defined`);
  }
  for (const ch of cfg.channels) {
    if (ch.headers && ch.format !== "webhook") throw new ConfigError("PORTSCOPE_ALERTS", `${file}: channel "${ch.id}": headers are for the generic webhook format only`);
    if (ch.secret && ch.format !== "dingtalk" && ch.format !== "feishu") throw new ConfigError("PORTSCOPE_ALERTS", `${file}: channel "${ch.id}": a signing secret is for dingtalk and feishu only`);
  }
  if (cfg.delivery.maxDelayMs < cfg.delivery.baseDelayMs) throw new ConfigError("PORTSCOPE_ALERTS", `${file}: delivery.maxDelayMs must be at least delivery.baseDelayMs`);
  return cfg;
}

/** `*` is any run of characters. */
export function globMatch(glob: string, value: string | null): boolean {
  if (glob === "*") return true;
  if (value === null) return false;
  const re = new RegExp(`^${glob.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return re.test(value);
}
