import type { Anomaly, AnomalyType } from "./types";

/**
 * Stored anomalies, keyed by a stable id so a recurring condition updates one
 * entry (count, lastSeenAt) instead of piling up rows.
 */
export const ANOMALY_TEXT: Record<AnomalyType, string> = {
  waiting_past_timeout: "Listed by listRtpServer without media for longer than timeoutSec + 3 s: ZLM should have closed it; the port and key stay blocked.",
  media_without_server: "Media is registered for an rtp key that no RTP server lists (single-port/multiplex stream, or a teardown in progress).",
  repeated_timeouts: "The same key keeps timing out without ever getting media: something reopens it while no media arrives (check the camera's INVITE and SSRC).",
  exists_but_absent: 'openRtpServer said "already exists" while getRtpInfo said absent: a server is still waiting for media on this key.',
  port_pool_high: "Most of the RTP port pool is in use: new openRtpServer calls may fail with \"none reserved port in pool\".",
  ghost_receiver: "on_rtp_server_timeout keeps arriving for a key/port that listRtpServer does not list: a ghost receiver left by a failed tcp_mode=1 open. Only a ZLM restart clears it; it must not close a new server of this key.",
  vanished_without_hook: "ZLM dropped a server the way its timeout does (idle for timeoutSec), but no on_rtp_server_timeout arrived: the hook was lost or is not configured.",
};

/** One incident per kind and key (or port, for a condition without a key): a key's repeats count, they do not pile up. */
export function anomalyId(type: AnomalyType, nodeId: string, key: string | null, port: number | null): string {
  return key ? `${type}|${nodeId}|${key}|` : `${type}|${nodeId}||${port ?? ""}`;
}

export class AnomalyBook {
  private readonly byId = new Map<string, Anomaly>();
  /** Bumped on every raise and on every clear that ends an active anomaly: readers tell "changed" from it. */
  version = 0;

  raise(type: AnomalyType, nodeId: string, key: string | null, port: number | null, at: number, eventId: number, detail?: string): Anomaly {
    const id = anomalyId(type, nodeId, key, port);
    this.version++;
    const prior = this.byId.get(id);
    if (prior) {
      prior.count++;
      prior.lastSeenAt = at;
      if (!prior.active) (prior.activeSince = at), (prior.endedAt = null);
      prior.active = true;
      if (port !== null) prior.port = port;
      if (detail) prior.detail = detail;
      if (prior.eventIds.length < 50) prior.eventIds.push(eventId);
      return prior;
    }
    const a: Anomaly = { id, type, nodeId, key, port, firstSeenAt: at, lastSeenAt: at, activeSince: at, endedAt: null, count: 1, detail: detail ?? ANOMALY_TEXT[type], active: true, eventIds: [eventId] };
    this.byId.set(id, a);
    return a;
  }

  /** The condition ended at `at` (the event that ended it; null: not known). */
  clear(type: AnomalyType, nodeId: string, key: string | null, port: number | null, at: number | null = null): void {
    const a = this.byId.get(anomalyId(type, nodeId, key, port));
    if (a?.active) this.end(a, at);
  }

  clearWhere(pred: (a: Anomaly) => boolean, at: number | null = null): void {
    for (const a of this.byId.values()) if (a.active && pred(a)) this.end(a, at);
  }

  private end(a: Anomaly, at: number | null): void {
    a.active = false;
    a.endedAt = at ?? a.lastSeenAt;
    this.version++;
  }

  isActive(type: AnomalyType, nodeId: string, key: string | null, port: number | null): boolean {
    return this.byId.get(anomalyId(type, nodeId, key, port))?.active === true;
  }

  all(): Anomaly[] {
    return [...this.byId.values()];
  }
}
