/**
 * A poll snapshot (listRtpServer + getMediaList) diffed against the model:
 * events for what the hooks did not tell. Linear in the snapshot size, with
 * as few map operations per row as possible (10k servers every poll).
 * `at` is when the poll *started*: anything the model learned after that is
 * newer than the snapshot and is left alone, so a poll never undoes a hook.
 */
import type { NewEvent } from "../events/types";
import type { Lifecycle } from "../lifecycle/reduce";
import { DEFAULT_RTP_APP, DEFAULT_VHOST } from "../zlm/rtp-key";
import { addRow, judgeFlow, noTotals, pruneFlows, type MediaFlow, type StreamTotals } from "./media-flow";

export interface RtpServerListing {
  vhost: string;
  app: string;
  stream_id: string;
  port: number;
  tcp_mode: number;
  ssrc: number;
  only_track?: number;
}

export interface MediaListing {
  vhost: string;
  app: string;
  stream: string;
  schema: string;
  originType?: number;
  bytesSpeed?: number;
  totalBytes?: number;
}

export interface ReconcileInput {
  nodeId: string;
  at: number;
  rtpServers: RtpServerListing[];
  media: MediaListing[] | null;
  mediaServerId?: string | null;
  /**
   * When each unexplained missing key was first seen missing. Owned by the
   * caller (one per node) and updated here: ZLM erases a server a moment
   * before it sends on_rtp_server_timeout, so a server that vanishes with no
   * timeout or close is only declared vanished after `vanishGraceMs`.
   */
  unlistedSince?: Map<string, number>;
  vanishGraceMs?: number;
  /**
   * When the last successful poll before this one began. What it listed survived any outage or restart
   * before it, so only one since then explains a server's disappearance.
   */
  previousPollAt?: number | null;
  /**
   * Each registered stream's last totalBytes and when it last grew, owned by the caller (one per
   * node) and updated here: media that stops while the stream stays registered (media-flow.ts).
   */
  mediaFlow?: Map<string, MediaFlow>;
}

const CLOSE_SETTLE_MS = 1000;

/**
 * True when a node read (config, listing) made by a poll that began at `readStartedAt` may predate what
 * the model already knows of the node's last start or restart, so it must not be taken for a new one.
 */
export function isStaleNodeRead(model: Lifecycle, nodeId: string, readStartedAt: number): boolean {
  const startedAt = model.node(nodeId)?.startedAt;
  return startedAt !== null && startedAt !== undefined && startedAt >= readStartedAt;
}

/** rtpKey() without the object: this runs for every row of the snapshot. */
const keyOf = (vhost: string, app: string, stream: string): string => (vhost || DEFAULT_VHOST) + "/" + (app || DEFAULT_RTP_APP) + "/" + stream;

/**
 * One entry per stream: getMediaList lists a stream once per schema, in adjacent rows. With
 * `totals`, also each stream's counters over its rows (same pass: 10k servers every poll).
 */
function mediaByStream(media: MediaListing[], totals: Map<string, StreamTotals> | null): Map<string, MediaListing> {
  const out = new Map<string, MediaListing>();
  let prev: MediaListing | null = null;
  let t: StreamTotals | undefined;
  for (const m of media) {
    if (!prev || prev.stream !== m.stream || prev.app !== m.app || prev.vhost !== m.vhost) {
      prev = m;
      const k = keyOf(m.vhost, m.app, m.stream);
      if (!out.has(k)) out.set(k, m);
      if (totals) {
        t = totals.get(k);
        if (!t) totals.set(k, (t = noTotals()));
      }
    }
    if (t) addRow(t, m);
  }
  return out;
}

export function reconcile(input: ReconcileInput, model: Lifecycle): NewEvent[] {
  const { nodeId, at } = input;
  const out: NewEvent[] = [];
  const ev = (kind: NewEvent["kind"], key: string | null, port: number | null, payload: Record<string, unknown>): NewEvent => ({ at, nodeId, kind, key, port, source: "poll", payload });

  const nodeModel = model.node(nodeId);
  const known = nodeModel?.mediaServerId ?? null;
  // A read from a poll that began before the model's last (re)start may still show the old id: not a restart.
  const restarted = !!input.mediaServerId && !!known && input.mediaServerId !== known && !isStaleNodeRead(model, nodeId, at);
  if (restarted) out.push(ev("node.restarted", null, null, { cause: "mediaServerId changed", from: known, to: input.mediaServerId }));
  const startedAt = nodeModel?.startedAt ?? null;
  const downOrStartedAt = Math.max(nodeModel?.startedAt ?? 0, nodeModel?.lastDownAt ?? 0);
  const unlisted = input.unlistedSince;
  const grace = input.vanishGraceMs ?? 1500;
  const live = restarted ? new Map() : model.nodeLive(nodeId);
  const flows = input.mediaFlow;
  const totals = flows && input.media ? new Map<string, StreamTotals>() : null;
  const media = input.media ? mediaByStream(input.media, totals) : null;
  let judged = 0;

  // Listed servers: new ones are opened; live ones are checked for a new port and for media.
  const listedKeys = new Set<string>();
  for (const row of input.rtpServers) {
    const key = keyOf(row.vhost, row.app, row.stream_id);
    listedKeys.add(key);
    const s = live.get(key);
    if (!s) {
      const latest = model.latestSession(nodeId, key);
      if (!restarted && latest && (latest.releasedAt ?? latest.openedAt) > at) continue;
      out.push(ev("rtp.opened", key, row.port, { ...row }));
      if (media?.has(key)) out.push(ev("rtp.receiving", key, row.port, { seenBy: "getMediaList" }));
      continue;
    }
    unlisted?.delete(key);
    if (s.openedAt > at) continue;
    // ZLM erases a server before it posts the timeout hook and before closeRtpServer answers (the close's
    // time is when it was sent, hence the margin): listed after that, the key is held by a new server.
    // Likewise after a restart (ZLM keeps its mediaServerId across one): what it lists is new.
    const endedAt = s.state === "timed_out" ? s.timedOutAt : s.state === "closed" && s.closedAt !== null ? s.closedAt + CLOSE_SETTLE_MS : null;
    // on_server_started may also be a late retry from a ZLM that was up before Portscope listened: the same
    // server row, with no outage seen since it opened, is then the same server, not one opened after a restart.
    const sameServer = row.port === s.port && (s.ssrc === null || row.ssrc === s.ssrc) && (s.tcpMode === null || row.tcp_mode === s.tcpMode);
    const outageSinceOpen = (nodeModel?.lastDownAt ?? 0) > s.openedAt;
    const startedSince = startedAt !== null && s.openedAt < startedAt && startedAt < at && (!sameServer || outageSinceOpen);
    if (startedSince || (endedAt !== null && endedAt < at)) {
      const cause = s.state === "timed_out" ? "timed out" : s.state === "closed" ? "closed" : "node restarted";
      out.push(ev("rtp.released", key, s.port, { confirmedBy: "poll", cause, previousState: s.state }));
      out.push(ev("rtp.opened", key, row.port, { ...row }));
      continue;
    }
    if (s.port !== null && row.port !== s.port) {
      // Closed and reopened between two polls: the old port is free, a new server holds the key.
      // A session whose timeout hook or close is already in keeps that as its end (seen against a real ZLM).
      const why = s.state === "timed_out" ? "timed out" : s.state === "closed" ? "closed" : "replaced";
      out.push(ev("rtp.released", key, s.port, { confirmedBy: "poll", cause: why, previousState: s.state }));
      out.push(ev("rtp.opened", key, row.port, { ...row }));
      continue;
    }
    if (media && (s.firstMediaAt ?? 0) <= at) {
      const hasMedia = media.has(key);
      if (hasMedia && s.state === "waiting") out.push(ev("rtp.receiving", key, s.port, { seenBy: "getMediaList" }));
      else if (!hasMedia && s.state === "receiving" && (s.firstMediaAt ?? at) < at) out.push(ev("rtp.media_stopped", key, s.port, { seenBy: "getMediaList" }));
    }
    const t = totals?.get(key);
    if (!t || !flows || t.totalBytes < 0) continue;
    judged++;
    const flow = judgeFlow(flows, key, s, t, at);
    if (flow) out.push(ev(flow.kind, key, s.port, flow.payload));
  }
  // Every remembered stream was judged for its live session just now: nothing to forget.
  if (flows && totals && flows.size !== judged) pruneFlows(flows, totals, live);

  // Live sessions the snapshot no longer lists: released (confirmed by poll).
  if (live.size !== listedKeys.size || restarted) {
    for (const [key, s] of live) {
      if (listedKeys.has(key) || s.openedAt > at) continue;
      const restartedSince = downOrStartedAt > Math.max(s.openedAt, input.previousPollAt ?? -Infinity);
      const explained = s.state === "timed_out" || s.state === "closed" || restartedSince;
      if (!explained && unlisted) {
        // An entry older than the session is left from the session before (ended by a reopen or a hook).
        const seen = unlisted.get(key);
        const since = seen !== undefined && seen >= s.openedAt ? seen : undefined;
        if (since === undefined) unlisted.set(key, at);
        if (since === undefined || at - since < grace) continue;
      }
      unlisted?.delete(key);
      const cause = s.state === "timed_out" ? "timed out" : s.state === "closed" ? "closed" : restartedSince ? "node restarted" : "vanished";
      out.push(ev("rtp.released", key, s.port, { confirmedBy: "poll", cause, previousState: s.state }));
    }
  }

  // Media the hooks did not report, and media that went away unreported.
  if (media) {
    const modelMedia = restarted ? new Map<string, { since: number }>() : model.nodeMedia(nodeId);
    for (const [key, m] of media) {
      if (!modelMedia.has(key)) out.push(ev("stream.registered", key, live.get(key)?.port ?? null, { ...m, seenBy: "getMediaList" }));
      // Only a poll can tell that no server holds the key: a hook may just be ahead of the listing.
      if (m.app === "rtp" && !listedKeys.has(key) && !model.isAnomalyActive("media_without_server", nodeId, key, null)) {
        out.push(ev("stream.without_server", key, null, { ...m, seenBy: "getMediaList" }));
      }
    }
    if (modelMedia.size > 0) {
      for (const [key, m] of modelMedia) {
        if (!media.has(key) && m.since <= at) out.push(ev("stream.unregistered", key, null, { seenBy: "getMediaList" }));
      }
    }
  }
  return out;
}
