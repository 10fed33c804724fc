/**
 * The lifecycle reducer: events in log order -> port sessions, node state and
 * anomalies. Pure and deterministic: no clock (time comes from events or an
 * explicit `now`), no I/O; the same events always give the same snapshot().
 */
import type { PortscopeEvent } from "../events/types";
import { AnomalyBook, anomalyId, ANOMALY_TEXT } from "./anomaly-book";
import { LIVE_STATES, type Anomaly, type NodeModel, type PortSession, type SessionState } from "./types";
import { isUncertainCloseOutcome } from "../zlm/errors";
import { NodeKeyed } from "./node-keyed";
import { failureOf, mediaArrived, mediaStopped, pauseSignal, recordAction, recordRejectedOpen, settlePause, startPause, endPause } from "./session-marks";

const REPEATED_TIMEOUTS = 3;
const REPEATED_WINDOW_MS = 10 * 60_000;
const MAX_SESSIONS = 200_000;
/** Actions started and not yet finished, remembered so an outcome finds its session after a reopen replaced it. */
const MAX_OPEN_ACTIONS = 1000;
export const POOL_HIGH_RATIO = 0.8;
/** A ghost receiver posts a timeout every 3 s until ZLM restarts: a minute of silence means it is gone. */
const GHOST_QUIET_MS = 60_000;

/** Anomalies whose evidence is a recurring hook stop being active once it stops recurring. */
function expired(a: Anomaly, now: number): boolean {
  if (a.type === "repeated_timeouts") return now - a.lastSeenAt > REPEATED_WINDOW_MS;
  if (a.type === "ghost_receiver") return now - a.lastSeenAt > GHOST_QUIET_MS;
  return false;
}
/** ZLM checks a receiver every 3 s from its open: a timeout hook sooner than this after an open we saw answered is not that server's. */
const FIRST_TICK_MS = 2_500;
/** How long after a release a timeout hook may still be that server's own (hook.timeoutSec x (1 + retry) + retry_delay, with slack). */
const LATE_TIMEOUT_MS = 30_000;

export interface SessionFilter {
  nodeId?: string;
  key?: string;
  port?: number;
  state?: SessionState;
  from?: number;
  to?: number;
}

const isCloseAnswer = (tee: unknown): boolean => {
  const t = tee as { ok?: unknown; answer?: { close?: unknown } | null } | null | undefined;
  return t?.ok === true && t.answer?.close === true;
};
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : typeof v === "string" && v !== "" && Number.isFinite(Number(v)) ? Number(v) : null);

export class Lifecycle {
  private lastId = 0;
  private readonly sessionList: PortSession[] = [];
  private readonly sessionsById = new Map<string, PortSession>();
  /** The current (not yet released) session per node+key. */
  private readonly live = new NodeKeyed<PortSession>();
  /** The most recent session per node+key, live or not. */
  private readonly latest = new NodeKeyed<PortSession>();
  private readonly nodes = new Map<string, NodeModel>();
  /** Registered media schemas per node+key, and since when. */
  private readonly media = new NodeKeyed<{ schemas: Set<string>; since: number }>();
  private readonly timeoutTimes = new NodeKeyed<number[]>();
  /** The last released session per node+key, and those that already took a late timeout hook. */
  private readonly lastEnded = new NodeKeyed<PortSession>();
  private readonly lateTimeoutTaken = new WeakSet<PortSession>();
  /** Sessions ZLM was asked to close with no certain answer (close_streams -400, fixtures 10; none_reader close:true). */
  private readonly closeTried = new WeakSet<PortSession>();
  /** on_server_keepalive per node: when the last came, and hook.alive_interval (its cadence) once known. */
  private readonly keepalives = new Map<string, { lastAt: number | null; intervalSec: number | null }>();
  private readonly book = new AnomalyBook();
  private readonly actionHome = new Map<string, PortSession>();

  get lastEventId(): number {
    return this.lastId;
  }

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
        this.book.clear("media_without_server", ev.nodeId, key, null);
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
        break;
      case "rtp.media_stopped":
        if (cur) mediaStopped(cur, ev.at);
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
        this.book.clearWhere((a) => a.nodeId === ev.nodeId && (a.type === "ghost_receiver" || a.type === "media_without_server"));
        node.startedAt = ev.at;
        if (typeof p.to === "string") node.mediaServerId = p.to;
        break;
      case "node.started":
        // A new process has no ghost receivers; a ghost still there raises again with its next hook (every 3 s).
        this.book.clearWhere((a) => a.nodeId === ev.nodeId && a.type === "ghost_receiver");
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
    if (home && home !== cur) recordAction(home, ev);
  }

  private ensureNode(nodeId: string): NodeModel {
    let n = this.nodes.get(nodeId);
    if (!n) {
      n = { nodeId, online: null, mediaServerId: null, timeoutSec: 15, portRange: null, startedAt: null, lastDownAt: null, lastSeenAt: null, lastHookAt: null };
      this.nodes.set(nodeId, n);
    }
    return n;
  }

  private touch(s: PortSession, ev: PortscopeEvent): void {
    s.lastEventId = ev.id;
    s.lastEventAt = ev.at;
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
    this.book.clear("waiting_past_timeout", ev.nodeId, key, null);
    this.countTimeout(ev, key);
  }

  private countTimeout(ev: PortscopeEvent, key: string): void {
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

  /**
   * The just-released session a timeout hook may still belong to: ZLM erases a server before it posts the
   * hook, so a poll or a reopen can end the session first. Each session takes one such late hook;
   * more (ZLM's ghost receiver repeats every 3 s) are ghosts.
   */
  private lateTimeoutOwner(nodeId: string, key: string, port: number | null, at: number): PortSession | null {
    const s = this.lastEnded.get(nodeId, key);
    if (!s || s.releasedAt === null || at - s.releasedAt > LATE_TIMEOUT_MS || s.closedAt !== null || this.lateTimeoutTaken.has(s)) return null;
    return s.port === null || port === null || s.port === port ? s : null;
  }

  private takeLateTimeout(s: PortSession, ev: PortscopeEvent): void {
    this.lateTimeoutTaken.add(s);
    this.touch(s, ev);
    if (s.timedOutAt !== null) return; // ZLM redelivered the timeout we already have
    s.timedOutAt = ev.at;
    s.timeouts++;
    if (s.endCause === "vanished" || s.endCause === "reopened" || s.endCause === "replaced") s.endCause = "timed out";
    this.book.clear("vanished_without_hook", s.nodeId, s.key, s.port);
    this.countTimeout(ev, s.key);
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
    if (this.closeTried.has(s) && s.timedOutAt === null && (cause === null || cause === "vanished" || cause === "reopened" || cause === "replaced")) cause = "closed";
    const unexplained = s.state === "waiting" || s.state === "receiving" || s.state === "media_stopped";
    s.state = "released";
    s.releasedAt = ev.at;
    s.releaseConfirmedBy = by;
    s.endCause = cause ?? (s.timedOutAt !== null ? "timed out" : s.closedAt !== null ? "closed" : "vanished");
    this.live.delete(s.nodeId, s.key);
    this.lastEnded.set(s.nodeId, s.key, s);
    this.book.clear("waiting_past_timeout", s.nodeId, s.key, null);
    if (unexplained && by !== "restart" && cause !== "node restarted" && cause !== "reopened" && cause !== "closed") {
      s.endCause = cause ?? "vanished";
      this.book.raise("vanished_without_hook", s.nodeId, s.key, s.port, ev.at, ev.id, `${ANOMALY_TEXT.vanished_without_hook}${s.tcpMode === 1 ? " (tcp_mode=1 server)" : ""}`);
    }
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
      this.book.clear("media_without_server", ev.nodeId, key, null);
    }
  }

  private noteKeepalive(nodeId: string, at: number | null, intervalSec: number | null): void {
    const k = this.keepalives.get(nodeId) ?? { lastAt: null, intervalSec: null };
    if (at !== null) k.lastAt = at;
    if (intervalSec !== null && intervalSec > 0) k.intervalSec = intervalSec;
    this.keepalives.set(nodeId, k);
  }

  // ---- reads ----

  /**
   * Whose on_rtp_server_timeout this is: the live session of the key on that port, or (late) the one just
   * released; null for a ghost receiver. A live session opened by an answer we saw less than one 3 s tick
   * ago cannot have timed out yet, so a just-released one takes it.
   */
  timeoutTarget(nodeId: string, key: string, port: number | null, at: number): { session: PortSession; late: boolean } | null {
    const cur = this.live.get(nodeId, key);
    const late = this.lateTimeoutOwner(nodeId, key, port, at);
    const tooYoung = !!late && !!cur && (cur.openedBy === "tap" || cur.openedBy === "action") && at - cur.openedAt < FIRST_TICK_MS;
    if (cur && cur.state !== "closed" && (cur.port === null || port === null || cur.port === port) && !tooYoung) return { session: cur, late: false };
    return late ? { session: late, late: true } : null;
  }

  /** The node's last on_server_keepalive and the interval ZLM sends it at (null when not known). */
  keepalive(nodeId: string): { lastAt: number | null; intervalSec: number | null } {
    return { ...(this.keepalives.get(nodeId) ?? { lastAt: null, intervalSec: null }) };
  }

  session(id: string): PortSession | undefined {
    return this.sessionsById.get(id);
  }

  currentSession(nodeId: string, key: string): PortSession | undefined {
    return this.live.get(nodeId, key);
  }

  latestSession(nodeId: string, key: string): PortSession | undefined {
    return this.latest.get(nodeId, key);
  }

  liveSessions(nodeId?: string): PortSession[] {
    const out: PortSession[] = [];
    for (const s of nodeId ? this.live.node(nodeId).values() : this.live.values()) out.push(s);
    return out;
  }


  /** One node's registered media, by key (a live view, for reconciliation). */
  nodeMedia(nodeId: string): ReadonlyMap<string, { since: number }> {
    return this.media.node(nodeId);
  }

  /** One node's live sessions, by key (a live view, for reconciliation). */
  nodeLive(nodeId: string): ReadonlyMap<string, PortSession> {
    return this.live.node(nodeId);
  }


  /** Newest first. A time range keeps sessions whose life overlaps it. */
  sessions(f: SessionFilter = {}): PortSession[] {
    const out: PortSession[] = [];
    for (let i = this.sessionList.length - 1; i >= 0; i--) {
      const s = this.sessionList[i];
      if (f.nodeId && s.nodeId !== f.nodeId) continue;
      if (f.key && s.key !== f.key) continue;
      if (f.port !== undefined && s.port !== f.port) continue;
      if (f.state && s.state !== f.state) continue;
      if (f.to !== undefined && s.openedAt >= f.to) continue;
      if (f.from !== undefined && (s.releasedAt ?? s.lastEventAt) < f.from && !LIVE_STATES.has(s.state)) continue;
      out.push(s);
    }
    return out;
  }

  isAnomalyActive(type: Anomaly["type"], nodeId: string, key: string | null, port: number | null): boolean {
    return this.book.isActive(type, nodeId, key, port);
  }

  node(nodeId: string): NodeModel | undefined {
    return this.nodes.get(nodeId);
  }

  nodeList(): NodeModel[] {
    return [...this.nodes.values()];
  }

  /** Stored anomalies plus the time-based ones as of `now`. */
  anomalies(now: number): Anomaly[] {
    const out = this.book.all().map((a) => ({ ...a, active: a.active && !expired(a, now), eventIds: [...a.eventIds] }));
    const liveByNode = new Map<string, number>();
    for (const s of this.live.values()) {
      liveByNode.set(s.nodeId, (liveByNode.get(s.nodeId) ?? 0) + 1);
      if (s.state !== "waiting") continue;
      const limitMs = (this.ensureNodeRead(s.nodeId).timeoutSec + 3) * 1000;
      if (now - s.openedAt > limitMs) {
        out.push({ id: anomalyId("waiting_past_timeout", s.nodeId, s.key, null), type: "waiting_past_timeout", nodeId: s.nodeId, key: s.key, port: s.port, firstSeenAt: s.openedAt + limitMs, lastSeenAt: now, count: 1, detail: ANOMALY_TEXT.waiting_past_timeout, active: true, eventIds: [s.lastEventId] });
      }
    }
    for (const [nodeId, count] of liveByNode) {
      const range = this.nodes.get(nodeId)?.portRange;
      if (!range) continue;
      const capacity = Math.floor((range[1] - range[0] + 1) / 2);
      if (capacity > 0 && count / capacity > POOL_HIGH_RATIO) {
        out.push({ id: anomalyId("port_pool_high", nodeId, null, null), type: "port_pool_high", nodeId, key: null, port: null, firstSeenAt: now, lastSeenAt: now, count, detail: `${ANOMALY_TEXT.port_pool_high} ${count} of ${capacity} ports in use.`, active: true, eventIds: [] });
      }
    }
    return out.sort((a, b) => b.lastSeenAt - a.lastSeenAt || (a.id < b.id ? -1 : 1));
  }

  private ensureNodeRead(nodeId: string): NodeModel {
    return this.nodes.get(nodeId) ?? { nodeId, online: null, mediaServerId: null, timeoutSec: 15, portRange: null, startedAt: null, lastDownAt: null, lastSeenAt: null, lastHookAt: null };
  }

  /** The whole model as plain, deterministically ordered data (compared in crash-recovery tests). */
  snapshot() {
    return {
      lastEventId: this.lastId,
      sessions: this.sessionList.map((s) => ({ ...s })),
      anomalies: this.book.all().map((a) => ({ ...a, eventIds: [...a.eventIds] })),
      nodes: [...this.nodes.values()].map((n) => ({ ...n })).sort((a, b) => (a.nodeId < b.nodeId ? -1 : 1)),
      media: [...this.media.entries()].map(([nodeId, key, m]) => ({ slot: `${nodeId} ${key}`, schemas: [...m.schemas].sort(), since: m.since })).sort((a, b) => (a.slot < b.slot ? -1 : 1)),
    };
  }
}
