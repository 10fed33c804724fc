/**
 * The lifecycle model's state and its read views: sessions, node state and
 * anomalies as the reducer (`reduce.ts`, the only writer) leaves them. Pure:
 * no clock (reads take an explicit `now`), no I/O.
 */
import { AnomalyBook, anomalyId, ANOMALY_TEXT } from "./anomaly-book";
import { LIVE_STATES, type Anomaly, type NodeModel, type PortSession } from "./types";
import { NodeKeyed } from "./node-keyed";
import { toIncidents, type Incident, type IncidentMarks, type Staging } from "./incidents";

export const REPEATED_WINDOW_MS = 10 * 60_000;
export const POOL_HIGH_RATIO = 0.8;
/** A ghost receiver posts a timeout every 3 s until ZLM restarts: a minute of silence means it is gone. */
const GHOST_QUIET_MS = 60_000;
/** ZLM checks a receiver every 3 s from its open: a timeout hook sooner than this after an open we saw answered is not that server's. */
const FIRST_TICK_MS = 2_500;
/** How long after a release a timeout hook may still be that server's own (hook.timeoutSec x (1 + retry) + retry_delay, with slack). */
const LATE_TIMEOUT_MS = 30_000;

/** Anomalies whose evidence is a recurring hook stop being active once it stops recurring. */
function expired(a: Anomaly, now: number): boolean {
  if (a.type === "repeated_timeouts") return now - a.lastSeenAt > REPEATED_WINDOW_MS;
  if (a.type === "ghost_receiver") return now - a.lastSeenAt > GHOST_QUIET_MS;
  // A lost hook is a moment, not a state: it stays an incident for the repeat window, then history (a node whose hooks are off keeps raising new ones).
  if (a.type === "vanished_without_hook") return now - a.lastSeenAt > REPEATED_WINDOW_MS;
  return false;
}

/**
 * Media without a server is normal for the few milliseconds of a teardown (ZLM erases the server,
 * then unregisters the media; a poll can fall between): only one that lasts is an anomaly.
 */
export const MEDIA_WITHOUT_SERVER_GRACE_MS = 5_000;
function passing(a: Anomaly, now: number): boolean {
  return a.type === "media_without_server" && (a.endedAt ?? now) - a.activeSince < MEDIA_WITHOUT_SERVER_GRACE_MS;
}

/** What one batch of events changed: the rows a browser must replace, and whether node or anomaly views moved. */
export interface ModelChanges {
  sessions: PortSession[];
  nodes: string[];
  anomalies: boolean;
}

const NO_SESSIONS: PortSession[] = [];
const NO_NODES: string[] = [];

export class LifecycleModel {
  protected lastId = 0;
  protected readonly sessionList: PortSession[] = [];
  protected readonly sessionsById = new Map<string, PortSession>();
  /** The current (not yet released) session per node+key. */
  protected readonly live = new NodeKeyed<PortSession>();
  /** The most recent session per node+key, live or not. */
  protected readonly latest = new NodeKeyed<PortSession>();
  protected readonly nodes = new Map<string, NodeModel>();
  /** Registered media schemas per node+key, and since when. */
  protected readonly media = new NodeKeyed<{ schemas: Set<string>; since: number }>();
  /** The last released session per node+key, and those that already took a late timeout hook. */
  protected readonly lastEnded = new NodeKeyed<PortSession>();
  protected readonly lateTimeoutTaken = new WeakSet<PortSession>();
  /** Sessions ZLM was asked to close with no certain answer (close_streams -400, fixtures 10; none_reader close:true). */
  protected readonly closeTried = new WeakSet<PortSession>();
  /** When a poll last saw a stopped session's media grow (rtp.media_stopped frozenSince): how long it really was idle. */
  protected readonly frozenSince = new WeakMap<PortSession, number>();
  /** on_server_keepalive per node: when the last came, and hook.alive_interval (its cadence) once known. */
  protected readonly keepalives = new Map<string, { lastAt: number | null; intervalSec: number | null }>();
  protected readonly book = new AnomalyBook();
  /** Acknowledgements and silences by incident id (incident.* events). */
  protected readonly incidentMarks = new Map<string, IncidentMarks>();
  /** Causes the demo staged (demo.staged events), newest last, bounded. */
  protected readonly stagings: Staging[] = [];
  /** Rows and nodes changed since the last takeChanges(): every write goes through touch() or ensureNode(). */
  protected readonly changedSessions = new Set<PortSession>();
  protected readonly changedNodes = new Set<string>();
  private bookVersionSeen = 0;

  get lastEventId(): number {
    return this.lastId;
  }

  /** What changed since the last call (the pipeline publishes it after each committed batch). */
  takeChanges(): ModelChanges {
    // Runs once per committed batch (every hook): no copies when nothing of a kind changed.
    const out = { sessions: this.changedSessions.size ? [...this.changedSessions] : NO_SESSIONS, nodes: this.changedNodes.size ? [...this.changedNodes] : NO_NODES, anomalies: this.book.version !== this.bookVersionSeen };
    this.changedSessions.clear();
    this.changedNodes.clear();
    this.bookVersionSeen = this.book.version;
    return out;
  }

  /** Sessions changed by events after `eventId` (each write stamps its event's id): an SSE replay's rows. */
  sessionsChangedAfter(eventId: number): PortSession[] {
    return this.sessionList.filter((s) => s.lastEventId > eventId);
  }

  /**
   * The just-released session a timeout hook may still belong to: ZLM erases a server before it posts the
   * hook, so a poll or a reopen can end the session first. Each session takes one such late hook;
   * more (ZLM's ghost receiver repeats every 3 s) are ghosts.
   */
  protected lateTimeoutOwner(nodeId: string, key: string, port: number | null, at: number): PortSession | null {
    const s = this.lastEnded.get(nodeId, key);
    if (!s || s.releasedAt === null || at - s.releasedAt > LATE_TIMEOUT_MS || s.closedAt !== null || this.lateTimeoutTaken.has(s)) return null;
    return s.port === null || port === null || s.port === port ? s : null;
  }


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


  /** Newest first (open order); `match` is lib/api/session-filter's sessionMatcher, or any predicate. */
  sessions(match?: (s: PortSession) => boolean): PortSession[] {
    const out: PortSession[] = [];
    for (let i = this.sessionList.length - 1; i >= 0; i--) {
      const s = this.sessionList[i];
      if (!match || match(s)) out.push(s);
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
    const out = this.book
      .all()
      .filter((a) => !passing(a, now))
      .map((a) => {
        const gone = a.active && expired(a, now);
        return { ...a, active: a.active && !gone, endedAt: gone ? a.lastSeenAt : a.endedAt, eventIds: [...a.eventIds] };
      });
    const liveByNode = new Map<string, number>();
    for (const s of this.live.values()) {
      liveByNode.set(s.nodeId, (liveByNode.get(s.nodeId) ?? 0) + 1);
      if (s.state !== "waiting") continue;
      const limitMs = (this.ensureNodeRead(s.nodeId).timeoutSec + 3) * 1000;
      if (now - s.openedAt > limitMs) {
        out.push({ id: anomalyId("waiting_past_timeout", s.nodeId, s.key, null), type: "waiting_past_timeout", nodeId: s.nodeId, key: s.key, port: s.port, firstSeenAt: s.openedAt + limitMs, lastSeenAt: now, activeSince: s.openedAt + limitMs, endedAt: null, count: 1, detail: ANOMALY_TEXT.waiting_past_timeout, active: true, eventIds: [s.lastEventId] });
      }
    }
    for (const [nodeId, count] of liveByNode) {
      const range = this.nodes.get(nodeId)?.portRange;
      if (!range) continue;
      const capacity = Math.floor((range[1] - range[0] + 1) / 2);
      if (capacity > 0 && count / capacity > POOL_HIGH_RATIO) {
        out.push({ id: anomalyId("port_pool_high", nodeId, null, null), type: "port_pool_high", nodeId, key: null, port: null, firstSeenAt: now, lastSeenAt: now, activeSince: now, endedAt: null, count, detail: `${ANOMALY_TEXT.port_pool_high} ${count} of ${capacity} ports in use.`, active: true, eventIds: [] });
      }
    }
    return out.sort((a, b) => b.lastSeenAt - a.lastSeenAt || (a.id < b.id ? -1 : 1));
  }

  /** The acknowledgement and silence recorded for an incident id (a metric alert's id too: lib/alerts). */
  incidentMarksFor(id: string): IncidentMarks | undefined {
    return this.incidentMarks.get(id);
  }

  /** Anomalies as incidents: severity, operator marks (ack, silence) and demo stagings applied. */
  incidents(now: number): Incident[] {
    return toIncidents(this.anomalies(now), this.incidentMarks, this.stagings, now);
  }

  protected ensureNodeRead(nodeId: string): NodeModel {
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
