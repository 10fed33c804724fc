/**
 * Media that stops while its stream stays registered. ZLM sends no hook when
 * RTP stops arriving (only the timeout hook, timeoutSec later), but its
 * getMediaList shows `totalBytes` frozen and `bytesSpeed` 0 about 1 s after
 * the last packet. The poller keeps, per node, the last total of each stream
 * and when it last grew; a total unchanged for MEDIA_STALL_MS is "media
 * stopped", and a total that grows again is "receiving" again.
 */
import type { PortSession } from "../lifecycle/types";

/**
 * How long a registered stream's totalBytes must stay unchanged, measured between poll start times.
 * Above any normal gap between frames (a 1 fps camera still sends every second, and bytesSpeed
 * reaches 0 about 1 s after the last packet), well below rtp_proxy.timeoutSec (15 s by default).
 */
export const MEDIA_STALL_MS = 2_000;

/** What a poll remembers of one stream's flow; owned by the caller, one map per node, by key. */
export interface MediaFlow {
  /** The session the numbers belong to: a new session of the key starts over. */
  sessionId: string;
  totalBytes: number;
  /** Start of the first poll that saw `totalBytes` (the last packet came before it). */
  grewAt: number;
  /** Start of the newest poll judged, so an older snapshot finishing late is ignored. */
  seenAt: number;
}

export interface StreamTotals {
  totalBytes: number;
  bytesSpeed: number;
}

export interface FlowRow {
  bytesSpeed?: number;
  totalBytes?: number;
}

/** Totals of a stream before its first row: no evidence yet (rows without totalBytes give none). */
export const noTotals = (): StreamTotals => ({ totalBytes: -1, bytesSpeed: 0 });

/**
 * Adds one getMediaList row of the stream. ZLM reports the input's counters on every schema's
 * row, read at slightly different moments, so the largest is the newest.
 */
export function addRow(t: StreamTotals, r: FlowRow): void {
  if (typeof r.totalBytes !== "number") return;
  if (r.totalBytes > t.totalBytes) t.totalBytes = r.totalBytes;
  if ((r.bytesSpeed ?? 0) > t.bytesSpeed) t.bytesSpeed = r.bytesSpeed ?? 0;
}

export type FlowVerdict = { kind: "rtp.media_stopped" | "rtp.receiving"; payload: Record<string, unknown> } | null;

/**
 * One poll's totals for a live session's registered stream, against what earlier polls saw.
 * A poll never undoes what the model learned after it began (`s.lastEventAt > at`): then the
 * numbers are kept and the verdict waits for the next poll.
 */
export function judgeFlow(flows: Map<string, MediaFlow>, key: string, s: PortSession, totals: StreamTotals, at: number): FlowVerdict {
  if (totals.totalBytes < 0) return null;
  const prev = flows.get(key);
  if (!prev || prev.sessionId !== s.id || totals.totalBytes < prev.totalBytes) {
    // First look, a new session, or a counter that went back (a new stream under the key): start over.
    flows.set(key, { sessionId: s.id, totalBytes: totals.totalBytes, grewAt: at, seenAt: at });
    return null;
  }
  if (at <= prev.seenAt) return null;
  prev.seenAt = at;
  const fresh = s.lastEventAt <= at;
  if (totals.totalBytes > prev.totalBytes) {
    const stoppedSince = prev.grewAt;
    prev.totalBytes = totals.totalBytes;
    prev.grewAt = at;
    if (s.state !== "media_stopped" || !fresh) return null;
    return { kind: "rtp.receiving", payload: { seenBy: "getMediaList", totalBytes: totals.totalBytes, bytesSpeed: totals.bytesSpeed, stoppedSince } };
  }
  // Once reported, the model's state (media_stopped) is what keeps it from repeating.
  if (at - prev.grewAt < MEDIA_STALL_MS || !fresh) return null;
  if (s.state !== "receiving" && s.state !== "paused") return null;
  if (s.firstMediaAt === null || s.firstMediaAt > at) return null;
  return { kind: "rtp.media_stopped", payload: { seenBy: "getMediaList", totalBytes: totals.totalBytes, frozenSince: prev.grewAt, frozenMs: at - prev.grewAt, bytesSpeed: totals.bytesSpeed } };
}

/** Forgets streams that are no longer registered (or carry no totals) and sessions that ended. */
export function pruneFlows(flows: Map<string, MediaFlow>, totals: ReadonlyMap<string, StreamTotals>, live: ReadonlyMap<string, PortSession>): void {
  for (const [key, f] of flows) if (!((totals.get(key)?.totalBytes ?? -1) >= 0) || live.get(key)?.id !== f.sessionId) flows.delete(key);
}
