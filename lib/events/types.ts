/**
 * The one event shape everything in Portscope flows through: hooks, polls,
 * operator actions and the API tap are all turned into these, appended to the
 * durable log, fanned out over SSE and reduced into port sessions.
 */

/** Where an event came from. "system" is Portscope itself (start-up, pruning, node reachability). */
export type EventSource = "hook" | "poll" | "action" | "tap" | "system";

export const EVENT_KINDS = [
  // RTP server (port reservation) lifecycle
  "rtp.opened", // server known to exist: open answered 0 (tap/action) or first seen by listRtpServer (poll)
  "rtp.open_failed", // openRtpServer answered an error (payload: code, msg, kind)
  "rtp.receiving", // first media: on_publish / regist=true / getMediaList shows it
  "rtp.media_stopped", // media source gone quiet or unregistered while the server may still be listed
  "rtp.timed_out", // on_rtp_server_timeout
  "rtp.close_requested", // closeRtpServer / close_streams sent (tap/action)
  "rtp.closed", // closeRtpServer answered hit=1, or close inferred
  "rtp.released", // the port is confirmed free: listRtpServer no longer lists it (poll), or the node restarted
  // media sources (any schema, joined per vhost/app/stream)
  "stream.registered", // on_stream_changed regist=true (first schema)
  "stream.unregistered", // on_stream_changed regist=false (last schema)
  "stream.without_server", // a poll saw rtp media that no listed server explains
  "stream.publish", // on_publish
  "stream.play", // on_play
  "stream.none_reader", // on_stream_none_reader
  "stream.not_found", // on_stream_not_found
  "stream.flow_report", // on_flow_report
  "send_rtp.stopped", // on_send_rtp_stopped
  // nodes
  "node.started", // on_server_started
  "node.exited", // on_server_exited
  "node.keepalive", // on_server_keepalive
  "node.online", // poll reached the node (first time or after being down)
  "node.offline", // poll failed
  "node.restarted", // mediaServerId/uptime changed or on_server_started: every port released
  "node.config", // timeoutSec / port_range / hook settings read from getServerConfig (redacted)
  // ZLM API calls seen by the tap (getRtpInfo, listRtpServer, updateRtpServerSSRC, pause/resume, ...)
  "tap.call",
  "shield.decision", // what the race shield did with a conflicting tapped open, and why
  // operator actions (close, safe reopen, pause/resume): every step is on the timeline
  "action.started",
  "action.step",
  "action.finished",
  // incidents: an operator's acknowledgement or silence (payload: incidentId, by, reason[, until])
  "incident.acknowledged",
  "incident.silenced",
  // alerts (lib/alerts): a rule's alert began or stopped firing (payload: alertId, ruleId, severity, incidentId)
  "alert.firing",
  "alert.resolved",
  // outbound notifications (lib/notify): one event per delivery attempt's outcome (payload: channel, format, alertId, attempt)
  "notify.sent",
  "notify.failed", // this attempt failed; payload.retryInMs says when the next one goes
  "notify.gave_up", // no more attempts (or the queue was full)
  // sign-in attempts (payload: user, ok, clientAddress, userAgent, why), node "portscope": the audit log's other half
  "auth.signed_in",
  "auth.signin_failed",
  // the demo staged a cause on purpose (payload: kind, key, until, label): its incident is labelled staged
  "demo.staged",
  // anything else ZLM posts, and rejected input
  "hook.other",
  "hook.rejected", // malformed, oversized, wrong token: recorded, answered 4xx
] as const;

export type EventKind = (typeof EVENT_KINDS)[number];

/** An event before the log gives it an id. */
export interface NewEvent {
  /** Epoch ms when Portscope observed it (UTC). */
  at: number;
  nodeId: string;
  kind: EventKind;
  /** `vhost/app/stream_id`, or null for node-wide events. */
  key: string | null;
  port: number | null;
  source: EventSource;
  /** Raw input (hook body, poll row, API answer) with secrets redacted. */
  payload: Record<string, unknown>;
  /** ZLM's hook_index when the event is a hook: orders hooks sent in the same millisecond. */
  hookIndex?: number | null;
}

/** A stored event: ids increase strictly in append order and are never reused. */
export interface PortscopeEvent extends NewEvent {
  id: number;
}

export interface EventQuery {
  nodeId?: string;
  key?: string;
  port?: number;
  kinds?: EventKind[];
  /** Inclusive lower bound on `at`. */
  from?: number;
  /** Exclusive upper bound on `at`. */
  to?: number;
  /** Only ids greater than this. */
  afterId?: number;
  /** Only ids up to and including this (what an instance has folded into its model so far). */
  throughId?: number;
  limit?: number;
  order?: "asc" | "desc";
}

/**
 * The durable log: SQLite (sqlite-store.ts, the default) or PostgreSQL
 * (pg-store.server.ts, shared by several instances). `append` resolves only
 * once the events are durable (group commit), so a caller may acknowledge the
 * source afterwards. lib/events/event-store.contract.ts holds both to it.
 */
export interface EventStore {
  append(events: NewEvent[]): Promise<PortscopeEvent[]>;
  query(q: EventQuery): Promise<PortscopeEvent[]>;
  /** Highest id stored, 0 when empty. */
  lastId(): Promise<number>;
  /** Lowest id still stored (after pruning), 0 when empty. */
  firstId(): Promise<number>;
  /** Delete events older than `before` (epoch ms); returns how many went. */
  prune(before: number): Promise<number>;
  close(): Promise<void>;
}
