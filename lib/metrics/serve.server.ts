import "server-only";
import type http from "node:http";
import { metricsAccess, type MetricsAccessConfig } from "./access";
import type { PortscopeMetrics } from "./metrics.server";

/**
 * /metrics over both transports. The lean listener (PORTSCOPE_ZLM_PORT) is
 * the recommended scrape target: it sees the scraper's real address (so the
 * allow-list works), and a scrape there costs no Next request. The Next
 * route serves the same text to a scraper that only reaches the dashboard
 * port, with the bearer token.
 */
export type MetricsAnswer = { status: number; headers: Record<string, string>; body: string };

export async function metricsAnswer(metrics: PortscopeMetrics | null, access: MetricsAccessConfig, req: { authorization: string | null; remoteAddress: string | null }): Promise<MetricsAnswer> {
  const json = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };
  const allowed = metricsAccess(access, req);
  if (!allowed.ok) return { status: allowed.status, headers: { ...json, ...(allowed.status === 401 ? { "www-authenticate": 'Bearer realm="portscope-metrics"' } : {}) }, body: JSON.stringify({ error: allowed.status === 401 ? "unauthorized" : "forbidden", message: allowed.message }) };
  if (!metrics) return { status: 503, headers: json, body: JSON.stringify({ error: "starting", message: "metrics are not ready yet" }) };
  const { contentType, text } = await metrics.render();
  return { status: 200, headers: { "content-type": contentType, "cache-control": "no-store" }, body: text };
}

/** The lean listener's handler for GET /metrics. */
export function metricsRoute(metrics: () => PortscopeMetrics | null, access: MetricsAccessConfig) {
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const auth = req.headers.authorization;
    const answer = await metricsAnswer(metrics(), access, { authorization: typeof auth === "string" ? auth : null, remoteAddress: req.socket.remoteAddress ?? null });
    res.writeHead(answer.status, { ...answer.headers, "content-length": Buffer.byteLength(answer.body) });
    res.end(answer.body);
  };
}
