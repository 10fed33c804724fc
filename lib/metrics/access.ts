/**
 * Who may scrape /metrics: a bearer token (PORTSCOPE_METRICS_TOKEN), or a
 * source address on the allow-list (PORTSCOPE_METRICS_ALLOW). With neither set
 * only loopback may scrape. The allow-list needs the real peer address, which
 * only the lean listener sees (a Next route handler does not), so the Next
 * route passes null and is served by token only. Pure.
 */
import { timingSafeEqual } from "node:crypto";

export interface MetricsAccessConfig {
  token: string | null;
  allow: string[] | null;
}

export type MetricsAccess = { ok: true } | { ok: false; status: 401 | 403; message: string };

const LOOPBACK = new Set(["127.0.0.1", "::1"]);

export function metricsAccess(cfg: MetricsAccessConfig, req: { authorization: string | null; remoteAddress: string | null }): MetricsAccess {
  const ip = req.remoteAddress === null ? null : normaliseIp(req.remoteAddress);
  if (cfg.token !== null && req.authorization !== null && bearerMatches(req.authorization, cfg.token)) return { ok: true };
  if (ip !== null && cfg.allow !== null && cfg.allow.map(normaliseIp).includes(ip)) return { ok: true };
  if (ip !== null && cfg.token === null && cfg.allow === null && LOOPBACK.has(ip)) return { ok: true };
  if (cfg.token !== null) return { ok: false, status: 401, message: req.authorization ? "wrong bearer token for /metrics" : "/metrics needs Authorization: Bearer <PORTSCOPE_METRICS_TOKEN>" };
  if (cfg.allow !== null) return { ok: false, status: 403, message: `source ${ip ?? "unknown"} is not in PORTSCOPE_METRICS_ALLOW` };
  return { ok: false, status: 403, message: "set PORTSCOPE_METRICS_TOKEN or PORTSCOPE_METRICS_ALLOW to scrape /metrics from another host (or over the dashboard port)" };
}

function bearerMatches(header: string, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) return false;
  const a = Buffer.from(m[1]);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function normaliseIp(ip: string): string {
  return ip.startsWith("::ffff:") ? ip.slice(7) : ip;
}
