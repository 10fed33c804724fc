/**
 * The lifecycle reducer: events in log order -> port sessions, node state and
 * anomalies (the writes; the state and its read views are in model.ts). Pure
 * and deterministic: no clock (time comes from events), no I/O; the same
 * events always give the same snapshot().
 *
 * Over 300 lines on purpose: every transition of the model is here and only
 * here (one lifecycle truth); its read views are in model.ts and its pure
 * per-session marks in session-marks.ts.
 */
import type { PortscopeEvent } from "../events/types";
import { ANOMALY_TEXT } from "./anomaly-book";
import { LIVE_STATES, type NodeModel, type PortSession, type SessionState } from "./types";
import { LifecycleModel, REPEATED_WINDOW_MS } from "./model";
import type { Staging } from "./incidents";
import { isUncertainCloseOutcome } from "../zlm/errors";
import { NodeKeyed } from "./node-keyed";
import { failureOf, mediaArrived, mediaStopped, pauseSignal, recordAction, recordRejectedOpen, settlePause, startPause, endPause } from "./session-marks";

const REPEATED_TIMEOUTS = 3;
const MAX_SESSIONS = 200_000;
/** How much earlier than ZLM's own idle clock a poll may place the last media (one poll interval and a stall). */
const IDLE_SLACK_MS = 2_000;

/** Actions started and not yet finished, remembered so an outcome finds its session after a reopen replaced it. */
const MAX_OPEN_ACTIONS = 1000;
const MAX_INCIDENT_MARKS = 10_000;
const MAX_STAGINGS = 1000;

const isCloseAnswer = (tee: unknown): boolean => {
  const t = tee as { ok?: unknown; answer?: { close?: unknown } | null } | null | undefined;
  return t?.ok === true && t.answer?.close === true;
};
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : typeof v === "string" && v !== "" && Number.isFinite(Number(v)) ? Number(v) : null);

/** The only writer of the model: `apply` takes events in log order; the reads live in LifecycleModel. */
export class Lifecycle extends LifecycleModel {
  private readonly timeoutTimes = new NodeKeyed<number[]>();
  private readonly actionHome = new Map<string, PortSession>();

  apply(ev: PortscopeEvent): void {
    if (ev.id <= this.lastId) return;
    this.lastId = ev.id;
    const node = this.ensureNode(ev.nodeId);
    if (ev.source === "hook" || ev.source === "poll") node.lastSeenAt = ev.at;
    if (ev.source === "hook" && ev.kind !== "hook.rejected") node.lastHookAt = ev.at;
    const p = ev.payload;
    const key = ev.key;
    const cur = key ? this.live.get(ev.nodeId, key) : undefined;
    if (cur) this.touch(cur, ev);
    if (cur) this.applyMarks(cur, ev);

    switch (ev.kind) {
      case "rtp.opened":
        if (!key) break;
        if (cur && !this.isReplacedBy(cur, ev)) {
          cur.port ??= num(p.port) ?? num(p.local_port) ?? ev.port;
          cur.tcpMode ??= num(p.tcp_mode);
          cur.ssrc ??= num(p.ssrc);
        } else {
          // A tcp_mode=1 server ends without a hook when its sender disconnects: that stays "vanished".
          if (cur) this.release(cur, ev, ev.source === "poll" ? "poll" : "hook", cur.state === "timed_out" || cur.state === "closed" || cur.tcpMode === 1 ? null : (node.startedAt ?? 0) > cur.openedAt ? "node restarted" : "reopened");
          this.openSession(ev, key, "waiting");
        }
        this.book.clear("media_without_server", ev.nodeId, key, null, ev.at);
        if (ev.source !== "poll") this.book.clear("exists_but_absent", ev.nodeId, key, null, ev.at); // an open succeeded: nothing held the key
        break;
      case "rtp.open_failed": {
        if (!key) break;
        if (!cur) {
          const s = this.openSession(ev, key, "open_failed");
          s.failure = failureOf(p);
          this.live.delete(ev.nodeId, key);
        }
        if (p.kind === "conflict" && p.rtpInfoExist === false) this.book.raise("exists_but_absent", ev.nodeId, key, null, ev.at, ev.id);
        break;
      }
      case "rtp.receiving":
        if (cur) mediaArrived(cur, ev.at);
        // The server that made opens fail was waiting for media; with media it is a live stream, not a stuck key.
        if (key) this.book.clear("exists_but_absent", ev.nodeId, key, null, ev.at);
        break;
      case "rtp.media_stopped":
        if (cur) {
          mediaStopped(cur, ev.at);
          const frozenSince = num(ev.payload.frozenSince);
          if (frozenSince !== null) this.frozenSince.set(cur, frozenSince);
        }
        break;
      case "rtp.timed_out":
        if (key) this.onTimeout(ev, key, cur);
        break;
      case "rtp.closed":
        if (cur && cur.state !== "released") {
          cur.state = "closed";
          cur.closedAt = ev.at;
          cur.closedBy = ev.source;
        }
        break;
      case "tap.call":
        if (cur && cur.state !== "closed") this.onStreamClose(ev, cur);
        // getRtpInfo said absent moments after openRtpServer said "already exists" (the tap notes which conflict).
        if (key && p.endpoint === "getRtpInfo" && typeof p.conflictBeforeAt === "number") this.book.raise("exists_but_absent", ev.nodeId, key, null, ev.at, ev.id);
        break;
      case "stream.none_reader":
        // Answered close:true (through the hook tee), ZLM closes the stream and its RtpServer: no timeout follows.
        if (cur && isCloseAnswer(p.portscope_tee)) this.closeTried.add(cur);
        break;
      case "rtp.released":
        if (cur) this.release(cur, ev, p.confirmedBy === "hook" || p.confirmedBy === "restart" ? p.confirmedBy : "poll", typeof p.cause === "string" ? p.cause : null);
        break;
      case "node.restarted":
        for (const s of [...this.live.node(ev.nodeId).values()]) {
          if (s.openedAt > ev.at) continue; // opened on the new process, after the restart was seen
          this.touch(s, ev);
          this.release(s, ev, "restart", "node restarted");
        }
        this.media.clearNode(ev.nodeId);
        this.book.clearWhere((a) => a.nodeId === ev.nodeId && (a.type === "ghost_receiver" || a.type === "media_without_server"), ev.at);
        node.startedAt = ev.at;
        if (typeof p.to === "string") node.mediaServerId = p.to;
        break;
      case "node.started":
        // A new process has no ghost receivers; a ghost still there raises again with its next hook (every 3 s).
        this.book.clearWhere((a) => a.nodeId === ev.nodeId && a.type === "ghost_receiver", ev.at);
        node.startedAt = ev.at;
        node.online = true;
        if (typeof p["general.mediaServerId"] === "string") node.mediaServerId = p["general.mediaServerId"];
        this.noteKeepalive(ev.nodeId, null, num(p["hook.alive_interval"]));
        break;
      case "node.config":
        this.noteKeepalive(ev.nodeId, null, num(p.aliveIntervalSec));
        if (typeof p.mediaServerId === "string") node.mediaServerId = p.mediaServerId;
        node.timeoutSec = num(p.timeoutSec) ?? node.timeoutSec;
        if (Array.isArray(p.portRange) && p.portRange.length === 2) node.portRange = [Number(p.portRange[0]), Number(p.portRange[1])];
        break;
      case "node.online":
        node.online = true;
        break;
      case "node.keepalive":
        // Liveness, not reachability: it expires (nodeLiveness), so it does not set `online`.
        this.noteKeepalive(ev.nodeId, ev.at, null);
        break;
      case "node.offline":
      case "node.exited":
        node.online = false;
        node.lastDownAt = ev.at;
        break;
      case "stream.registered":
        if (key) this.onMediaRegistered(ev, key, cur);
        break;
      case "stream.without_server":
        if (key) this.book.raise("media_without_server", ev.nodeId, key, null, ev.at, ev.id);
        break;
      case "stream.unregistered":
        if (key) this.onMediaUnregistered(ev, key);
        break;
      case "action.started":
      case "action.finished":
        this.onAction(ev, cur);
        break;
      case "incident.acknowledged":
      case "incident.silenced":
        this.onIncidentMark(ev);
        break;
      case "demo.staged":
        this.onStaged(ev);
        break;
      default:
        break;
    }
  }

  /** Pause windows and refused opens of the key's live session (session-marks.ts). */
  private applyMarks(cur: PortSession, ev: PortscopeEvent): void {
    settlePause(cur, ev);
    if (ev.kind === "rtp.open_failed") recordRejectedOpen(cur, ev);
    if (ev.kind === "action.finished") recordAction(cur, ev);
    const pause = pauseSignal(ev, cur);
    if (pause) pause.pause ? startPause(cur, ev.at, pause.seconds) : endPause(cur, ev.at);
  }

  /** An operator's acknowledgement or silence of one incident, by its id. */
  private onIncidentMark(ev: PortscopeEvent): void {
    const p = ev.payload;
    if (typeof p.incidentId !== "string") return;
    const mark = { by: typeof p.by === "string" ? p.by : "unknown", reason: typeof p.reason === "string" ? p.reason : "", at: ev.at };
    const marks = this.incidentMarks.get(p.incidentId) ?? {};
    if (ev.kind === "incident.acknowledged") marks.ack = mark;
    else marks.silence = { ...mark, until: num(p.until) ?? ev.at };
    this.incidentMarks.set(p.incidentId, marks);
    if (this.incidentMarks.size > MAX_INCIDENT_MARKS) this.incidentMarks.delete(this.incidentMarks.keys().next().value!);
    this.book.version++;
  }

  private onStaged(ev: PortscopeEvent): void {
    const p = ev.payload;
    if (typeof p.kind !== "string") return;
    this.stagings.push({ kind: p.kind as Staging["kind"], nodeId: ev.nodeId, key: ev.key, from: ev.at, until: num(p.until) ?? ev.at, label: typeof p.label === "string" ? p.label : p.kind, act: typeof p.act === "string" ? p.act : null });
    if (this.stagings.length > MAX_STAGINGS) this.stagings.shift();
    this.book.version++;
  }

  /** An action's start lands on the key's live session; its outcome also on the session it started on. */
  private onAction(ev: PortscopeEvent, cur: PortSession | undefined): void {
    const actionId = typeof ev.payload.actionId === "string" ? ev.payload.actionId : null;
    if (!actionId) return;
    if (ev.kind === "action.started") {
      if (!cur) return;
      recordAction(cur, ev);
      this.actionHome.set(actionId, cur);
      if (this.actionHome.size > MAX_OPEN_ACTIONS) this.actionHome.delete(this.actionHome.keys().next().value!);
      return;
    }
    const home = this.actionHome.get(actionId);
    this.actionHome.delete(actionId);
    if (home && home !== cur) {
      this.touch(home, ev);
      recordAction(home, ev);
    }
  }

  private ensureNode(nodeId: string): NodeModel {
    this.changedNodes.add(nodeId);
    let n = this.nodes.get(nodeId);
    if (!n) {
      n = { nodeId, online: null, mediaServerId: null, timeoutSec: 15, portRange: null, startedAt: null, lastDownAt: null, lastSeenAt: null, lastHookAt: null };
      this.nodes.set(nodeId, n);
    }
    return n;
  }

  /** Every write to a session goes through here: it stamps the event and marks the row changed (takeChanges). */
  private touch(s: PortSession, ev: PortscopeEvent): void {
    s.lastEventId = ev.id;
    s.lastEventAt = ev.at;
    this.changedSessions.add(s);
  }

  private openSession(ev: PortscopeEvent, key: string, state: SessionState): PortSession {
    const p = ev.payload;
    const s: PortSession = {
      id: `${ev.nodeId}|${key}|${ev.id}`,
      nodeId: ev.nodeId,
      key,
      port: ev.port ?? num(p.port) ?? num(p.local_port),
      tcpMode: num(p.tcp_mode),
      ssrc: num(p.ssrc),
      state,
      openedBy: ev.source,
      openedAt: ev.at,
      firstMediaAt: null,
      mediaStoppedAt: null,
      timedOutAt: null,
      closedAt: null,
      closedBy: null,
      releasedAt: null,
      releaseConfirmedBy: null,
      endCause: null,
      failure: null,
      timeouts: 0,
      lastEventId: ev.id,
      lastEventAt: ev.at,
    };
    this.sessionList.push(s);
    this.sessionsById.set(s.id, s);
    this.changedSessions.add(s);
    this.live.set(ev.nodeId, key, s);
    this.latest.set(ev.nodeId, key, s);
    if (this.sessionList.length > MAX_SESSIONS) this.forgetOldest();
    return s;
  }

  /** Bounded memory: forget the oldest ended sessions (the log keeps them). */
  private forgetOldest(): void {
    const drop = this.sessionList.findIndex((s) => !LIVE_STATES.has(s.state));
    if (drop < 0) return;
    const [gone] = this.sessionList.splice(drop, 1);
    this.sessionsById.delete(gone.id);
  }

  private onTimeout(ev: PortscopeEvent, key: string, cur: PortSession | undefined): void {
    const port = num(ev.payload.local_port) ?? ev.port;
    const target = this.timeoutTarget(ev.nodeId, key, port, ev.at);
    if (target?.late) return this.takeLateTimeout(target.session, ev);
    const belongs = !!target;
    if (!cur || !belongs) {
      // ZLM's ghost receiver (failed tcp_mode=1 open): never let it touch a live session of this key.
      this.book.raise("ghost_receiver", ev.nodeId, key, port, ev.at, ev.id);
      return;
    }
    if (cur.state === "timed_out") return; // the same timeout again: nothing new
    cur.state = "timed_out";
    cur.timedOutAt = ev.at;
    cur.timeouts++;
    this.book.clear("waiting_past_timeout", ev.nodeId, key, null, ev.at);
    this.countTimeout(ev, key, cur);
  }

  /** A timeout of a server that never got media is one turn of an open loop; one after a media stall is the camera's. */
  private countTimeout(ev: PortscopeEvent, key: string, s: PortSession): void {
    if (s.firstMediaAt !== null) return;
    const times = (this.timeoutTimes.get(ev.nodeId, key) ?? []).filter((t) => ev.at - t <= REPEATED_WINDOW_MS);
    times.push(ev.at);
    this.timeoutTimes.set(ev.nodeId, key, times);
    if (times.length >= REPEATED_TIMEOUTS) this.book.raise("repeated_timeouts", ev.nodeId, key, null, ev.at, ev.id, `${ANOMALY_TEXT.repeated_timeouts} ${times.length} timeouts in 10 min.`);
  }

  /**
   * A successful open of a key proves ZLM held no server for it: a session that timed out or was closed
   * is over, and so is one we saw opened by another successful answer (its end is not known yet).
   */
  private isReplacedBy(cur: PortSession, ev: PortscopeEvent): boolean {
    if (cur.state === "timed_out" || cur.state === "closed" || this.closeTried.has(cur)) return true;
    return ev.source === "tap" && cur.openedBy === "tap" && ev.at > cur.openedAt;
  }

  private takeLateTimeout(s: PortSession, ev: PortscopeEvent): void {
    this.lateTimeoutTaken.add(s);
    this.touch(s, ev);
    if (s.timedOutAt !== null) return; // ZLM redelivered the timeout we already have
    s.timedOutAt = ev.at;
    s.timeouts++;
    if (s.endCause === "vanished" || s.endCause === "reopened" || s.endCause === "replaced" || s.endCause === "closed elsewhere") s.endCause = "timed out";
    this.book.clear("vanished_without_hook", s.nodeId, s.key, s.port, ev.at);
    this.countTimeout(ev, s.key, s);
  }

  /** close_streams / close_stream on a session's stream: closed when ZLM says so, maybe closed on its -400. */
  private onStreamClose(ev: PortscopeEvent, s: PortSession): void {
    const p = ev.payload;
    const endpoint = typeof p.endpoint === "string" ? p.endpoint : "";
    if (endpoint !== "close_streams" && endpoint !== "close_stream") return;
    const answer = (p.answer ?? {}) as Record<string, unknown>;
    const code = num(answer.code);
    if (code === 0 && ((num(answer.count_closed) ?? 0) > 0 || (endpoint === "close_stream" && num(answer.result) === 0))) {
      s.state = "closed";
      s.closedAt = ev.at;
      s.closedBy = ev.source;
    } else if (isUncertainCloseOutcome(endpoint, code, typeof answer.msg === "string" ? answer.msg : null)) {
      this.closeTried.add(s);
    }
  }

  private release(s: PortSession, ev: PortscopeEvent, by: "poll" | "hook" | "restart", cause: string | null): void {
    if (this.closeTried.has(s) && s.timedOutAt === null && (cause === null || cause === "vanished" || cause === "reopened" || cause === "replaced" || cause === "closed elsewhere")) cause = "closed";
    const before = s.state;
    const unexplained = before === "waiting" || before === "receiving" || before === "media_stopped";
    s.state = "released";
    s.releasedAt = ev.at;
    s.releaseConfirmedBy = by;
    s.endCause = cause ?? (s.timedOutAt !== null ? "timed out" : s.closedAt !== null ? "closed" : "vanished");
    this.live.delete(s.nodeId, s.key);
    this.lastEnded.set(s.nodeId, s.key, s);
    this.book.clear("waiting_past_timeout", s.nodeId, s.key, null, ev.at);
    this.book.clear("exists_but_absent", s.nodeId, s.key, null, ev.at);
    if (unexplained && by !== "restart" && (cause === null || cause === "vanished")) {
      s.endCause = this.vanishCause(s, before, ev.at);
      if (s.endCause === "vanished") this.book.raise("vanished_without_hook", s.nodeId, s.key, s.port, ev.at, ev.id);
    }
  }

  /**
   * Why a server left with no timeout hook and no close we saw. Only one that ZLM would have timed out
   * by now (idle for timeoutSec) and whose on_rtp_server_timeout never came is "vanished", an incident:
   * the hook was lost. A tcp_mode=1 server ends when its TCP sender leaves, without a hook (fixtures 8),
   * and one that still had media, or was younger than its timeout, was closed by a client that did not
   * go through Portscope (a platform's BYE): both are ordinary ends.
   */
  private vanishCause(s: PortSession, before: SessionState, at: number): string {
    if (s.tcpMode === 1) return "sender disconnected";
    // A poll reports a stop a stall after the last growth it saw: the media stopped then, not at the report.
    const stoppedAt = s.mediaStoppedAt === null ? null : Math.min(s.mediaStoppedAt, this.frozenSince.get(s) ?? s.mediaStoppedAt);
    const idleSince = before === "media_stopped" ? (stoppedAt ?? s.openedAt) : before === "waiting" ? s.openedAt : null;
    const timeoutMs = (this.nodes.get(s.nodeId)?.timeoutSec ?? 15) * 1000;
    // A stop is known from the last growth a poll saw, which can be up to a poll after the last packet: allow that much.
    const slack = before === "media_stopped" ? IDLE_SLACK_MS : 0;
    return idleSince !== null && at - idleSince >= timeoutMs - slack ? "vanished" : "closed elsewhere";
  }

  private onMediaRegistered(ev: PortscopeEvent, key: string, _cur: PortSession | undefined): void {
    if (ev.payload.strayTeardownRegistration === true) return; // ZLM's hls blip during teardown
    const m = this.media.get(ev.nodeId, key) ?? { schemas: new Set<string>(), since: ev.at };
    m.schemas.add(typeof ev.payload.schema === "string" ? ev.payload.schema : "?");
    this.media.set(ev.nodeId, key, m);
  }

  private onMediaUnregistered(ev: PortscopeEvent, key: string): void {
    const m = this.media.get(ev.nodeId, key);
    const schema = typeof ev.payload.schema === "string" ? ev.payload.schema : null;
    if (m && schema && ev.source === "hook") m.schemas.delete(schema);
    if (!m || ev.source !== "hook" || m.schemas.size === 0) {
      this.media.delete(ev.nodeId, key);
      this.book.clear("media_without_server", ev.nodeId, key, null, ev.at);
    }
  }

  private noteKeepalive(nodeId: string, at: number | null, intervalSec: number | null): void {
    const k = this.keepalives.get(nodeId) ?? { lastAt: null, intervalSec: null };
    if (at !== null) k.lastAt = at;
    if (intervalSec !== null && intervalSec > 0) k.intervalSec = intervalSec;
    this.keepalives.set(nodeId, k);
  }

}
