/**
 * A poll snapshot (listRtpServer + getMediaList) diffed against the model:
 * events for what the hooks did not tell. Linear in the snapshot size.
 * `at` is when the poll *started*: anything the model learned after that is
 * newer than the snapshot and is left alone, so a poll never undoes a hook.
 */
import type { NewEvent } from "../events/types";
import type { Lifecycle } from "../lifecycle/reduce";
import { rtpKey } from "../zlm/rtp-key";

export interface ReconcileInput {
  nodeId: string;
  at: number;
  rtpServers: { vhost: string; app: string; stream_id: string; port: number; tcp_mode: number; ssrc: number; only_track?: number }[];
  media: { vhost: string; app: string; stream: string; schema: string; originType?: number }[] | null;
  mediaServerId?: string | null;
  /**
   * When each unexplained missing key was first seen missing. Owned by the
   * caller (one per node) and updated here: ZLM erases a server a moment
   * before it sends on_rtp_server_timeout, so a server that vanishes with no
   * timeout or close is only declared vanished after `vanishGraceMs`.
   */
  unlistedSince?: Map<string, number>;
  vanishGraceMs?: number;
}

export function reconcile(input: ReconcileInput, model: Lifecycle): NewEvent[] {
  const { nodeId, at } = input;
  const out: NewEvent[] = [];
  const ev = (kind: NewEvent["kind"], key: string | null, port: number | null, payload: Record<string, unknown>): NewEvent => ({ at, nodeId, kind, key, port, source: "poll", payload });

  const known = model.node(nodeId)?.mediaServerId ?? null;
  const restarted = !!input.mediaServerId && !!known && input.mediaServerId !== known;
  if (restarted) out.push(ev("node.restarted", null, null, { cause: "mediaServerId changed", from: known, to: input.mediaServerId }));

  const unlisted = input.unlistedSince;
  const grace = input.vanishGraceMs ?? 1500;
  const listed = new Map<string, ReconcileInput["rtpServers"][number]>();
  for (const row of input.rtpServers) listed.set(rtpKey({ vhost: row.vhost, app: row.app, streamId: row.stream_id }), row);
  const mediaKeys = input.media ? new Set(input.media.map((m) => rtpKey({ vhost: m.vhost, app: m.app, streamId: m.stream }))) : null;

  // Live sessions the snapshot no longer lists: released (confirmed by poll).
  const live = restarted ? [] : model.liveSessions(nodeId);
  const nodeModel = model.node(nodeId);
  const downOrStartedAt = Math.max(nodeModel?.startedAt ?? 0, nodeModel?.lastDownAt ?? 0);
  const liveKeys = new Set<string>();
  for (const s of live) {
    liveKeys.add(s.key);
    const row = listed.get(s.key);
    if (s.openedAt > at) continue;
    if (!row) {
      const restartedSince = downOrStartedAt > s.openedAt;
      const explained = s.state === "timed_out" || s.state === "closed" || restartedSince;
      if (!explained && unlisted) {
        const since = unlisted.get(s.key);
        if (since === undefined) unlisted.set(s.key, at);
        if (since === undefined || at - since < grace) continue;
      }
      unlisted?.delete(s.key);
      const cause = s.state === "timed_out" ? "timed out" : s.state === "closed" ? "closed" : restartedSince ? "node restarted" : "vanished";
      out.push(ev("rtp.released", s.key, s.port, { confirmedBy: "poll", cause, previousState: s.state }));
      continue;
    }
    unlisted?.delete(s.key);
    if (s.port !== null && row.port !== s.port) {
      // Closed and reopened between two polls: the old port is free, a new server holds the key.
      out.push(ev("rtp.released", s.key, s.port, { confirmedBy: "poll", cause: "replaced", previousState: s.state }));
      out.push(ev("rtp.opened", s.key, row.port, { ...row }));
      continue;
    }
    if (mediaKeys && (s.firstMediaAt ?? 0) <= at) {
      const hasMedia = mediaKeys.has(s.key);
      if (hasMedia && s.state === "waiting") out.push(ev("rtp.receiving", s.key, s.port, { seenBy: "getMediaList" }));
      if (!hasMedia && s.state === "receiving" && (s.firstMediaAt ?? at) < at) out.push(ev("rtp.media_stopped", s.key, s.port, { seenBy: "getMediaList" }));
    }
  }

  // Listed servers the model does not have: opened (discovered by poll).
  for (const [key, row] of listed) {
    if (liveKeys.has(key)) continue;
    const latest = model.latestSession(nodeId, key);
    if (!restarted && latest && (latest.releasedAt ?? latest.openedAt) > at) continue;
    out.push(ev("rtp.opened", key, row.port, { ...row }));
    if (mediaKeys?.has(key)) out.push(ev("rtp.receiving", key, row.port, { seenBy: "getMediaList" }));
  }

  // Media the hooks did not report, and media that went away unreported.
  if (input.media && mediaKeys) {
    const modelMedia = new Set(restarted ? [] : model.mediaKeys(nodeId));
    const seen = new Set<string>();
    for (const m of input.media) {
      const key = rtpKey({ vhost: m.vhost, app: m.app, streamId: m.stream });
      if (seen.has(key) || modelMedia.has(key)) continue;
      seen.add(key);
      out.push(ev("stream.registered", key, listed.get(key)?.port ?? null, { ...m, seenBy: "getMediaList" }));
    }
    for (const key of modelMedia) {
      if (mediaKeys.has(key) || (model.mediaSince(nodeId, key) ?? 0) > at) continue;
      out.push(ev("stream.unregistered", key, null, { seenBy: "getMediaList" }));
    }
  }
  return out;
}
