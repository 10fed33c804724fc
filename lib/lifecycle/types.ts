/**
 * The port-session model derived from the event log. Pure data: the reducer
 * in `reduce.ts` builds it from events, nothing else writes it.
 */
import type { EventSource } from "../events/types";

export type SessionState =
  | "waiting" // server open, no media yet (age counts against the node's timeoutSec)
  | "receiving" // media registered
  | "paused" // receiving, with ZLM's timeout check suspended by pauseRtpCheck (ends on resume, media end, timeout, close, release)
  | "media_stopped" // media gone, server not yet torn down
  | "timed_out" // on_rtp_server_timeout seen, release not yet confirmed
  | "closed" // closed by API/operator/platform, release not yet confirmed
  | "released" // port confirmed free (poll, hook or node restart)
  | "open_failed"; // openRtpServer refused (code/msg kept)

/** States of a session whose server may still hold its key and port. */
export const LIVE_STATES: ReadonlySet<SessionState> = new Set<SessionState>(["waiting", "receiving", "paused", "media_stopped", "timed_out", "closed"]);

export interface PortSession {
  /** Stable id: `${nodeId}|${key}|${openedEventId}`. */
  id: string;
  nodeId: string;
  /** `vhost/app/stream_id`. */
  key: string;
  port: number | null;
  tcpMode: number | null;
  ssrc: number | null;
  state: SessionState;
  openedBy: EventSource;
  openedAt: number;
  firstMediaAt: number | null;
  mediaStoppedAt: number | null;
  timedOutAt: number | null;
  closedAt: number | null;
  closedBy: EventSource | null;
  releasedAt: number | null;
  releaseConfirmedBy: "poll" | "hook" | "restart" | null;
  /** Why the session ended when no timeout or close explains it, e.g. "node restarted", "vanished". */
  endCause: string | null;
  failure: { code: number | null; msg: string | null; kind: string; verdict?: FailureVerdict | null } | null;
  timeouts: number;
  lastEventId: number;
  lastEventAt: number;
  /** pauseRtpCheck windows, oldest first (optional: sessions built before pauses were tracked lack it). */
  pauses?: PauseSpan[];
  /** Operator actions on this session's key while it lived, oldest first (at most MAX_SESSION_MARKS). */
  actions?: SessionAction[];
  /** Opens of this key that ZLM refused while this session held it ("already exists"), with the verdict. */
  rejectedOpens?: RejectedOpen[];
}

/** Why openRtpServer said "already exists" (lib/diagnosis/already-exists.ts), without its evidence. */
export interface FailureVerdict {
  cause: "a" | "b" | "c" | "d" | "e" | "f" | "unknown";
  title: string;
  fix: string;
}

export interface PauseSpan {
  from: number;
  /** When the pause ended (resume, media end, timeout, close, release); null while it lasts. */
  to: number | null;
  /** When ZLM resumes checking by itself: the call plus pause_seconds (default 300 s). */
  until: number;
}

export interface SessionAction {
  actionId: string;
  /** "close", "reopen", "pause", "resume", ... as lib/actions names it. */
  action: string;
  reason: string | null;
  at: number;
  finishedAt: number | null;
  outcome: string | null;
  ok: boolean | null;
  /** Who asked (the signed-in user), when the action record names one. */
  by?: string;
  /** A pause's pause_seconds as requested, to know when ZLM resumes checking by itself. */
  pauseSeconds?: number;
}

export interface RejectedOpen {
  at: number;
  code: number | null;
  msg: string | null;
  verdict: FailureVerdict | null;
}

export type AnomalyType =
  | "waiting_past_timeout" // listed without media past timeoutSec + 3 s
  | "media_without_server" // media for an rtp key that no server lists
  | "repeated_timeouts" // the same key keeps timing out (open loop with no media)
  | "exists_but_absent" // openRtpServer said "already exists" while getRtpInfo said absent
  | "port_pool_high" // servers open / pool size above threshold
  | "ghost_receiver" // timeout hooks for a key/port that listRtpServer does not list
  | "vanished_without_hook"; // a server disappeared with no timeout hook or close

export interface Anomaly {
  /** Stable id: `${type}|${nodeId}|${key ?? ""}|${port ?? ""}`. */
  id: string;
  type: AnomalyType;
  nodeId: string;
  key: string | null;
  port: number | null;
  firstSeenAt: number;
  lastSeenAt: number;
  /** When the condition last began (first raise, or a raise after it had ended): an acknowledgement older than this is void. */
  activeSince: number;
  /** When the condition ended (null while it lasts). */
  endedAt: number | null;
  count: number;
  /** One sentence an operator can act on. */
  detail: string;
  /** Cleared anomalies stay in the list (for history) with `active: false`. */
  active: boolean;
  eventIds: number[];
}

export interface NodeModel {
  nodeId: string;
  online: boolean | null;
  mediaServerId: string | null;
  timeoutSec: number;
  portRange: [number, number] | null;
  /** Last on_server_started (or restart seen by poll). */
  startedAt: number | null;
  /** Last time the node was seen down (poll failed, on_server_exited): servers may be gone since. */
  lastDownAt: number | null;
  lastSeenAt: number | null;
  /** Last hook of any kind from the node: hook freshness (keepalives arrive every alive_interval). */
  lastHookAt: number | null;
}
