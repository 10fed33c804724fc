/**
 * Applies live lifecycle events to a cached session list, so the timeline
 * moves with SSE without refetching thousands of rows (polling still
 * reconciles every 15 s). Pure: returns a new list when something changed,
 * the same list otherwise. Pauses, actions and refused opens follow the
 * reducer's own rules (lib/lifecycle/session-marks.ts).
 */
import type { PortscopeEvent } from "../events/types";
import { endPause, failureOf, isMarkEvent, mediaArrived, mediaStopped, pauseSignal, recordAction, recordRejectedOpen, settlePause, startPause } from "../lifecycle/session-marks";
import { LIVE_STATES, type PortSession } from "../lifecycle/types";

/** Whether an SSE event can change a cached session (the stream patches the caches only then). */
export function touchesSessions(e: PortscopeEvent): boolean {
  return e.kind.startsWith("rtp.") || e.kind === "node.restarted" || isMarkEvent(e);
}

function clone(s: PortSession): PortSession {
  const c: PortSession = { ...s };
  if (s.pauses) c.pauses = s.pauses.map((p) => ({ ...p }));
  if (s.actions) c.actions = s.actions.map((a) => ({ ...a }));
  if (s.rejectedOpens) c.rejectedOpens = [...s.rejectedOpens];
  return c;
}

function blank(e: PortscopeEvent, key: string, state: PortSession["state"]): PortSession {
  return { id: `${e.nodeId}|${key}|${e.id}`, nodeId: e.nodeId, key, port: e.port, tcpMode: null, ssrc: null, state, openedBy: e.source, openedAt: e.at, firstMediaAt: null, mediaStoppedAt: null, timedOutAt: null, closedAt: null, closedBy: null, releasedAt: null, releaseConfirmedBy: null, endCause: null, failure: null, timeouts: 0, lastEventId: e.id, lastEventAt: e.at };
}

function release(d: PortSession, e: PortscopeEvent, by: "poll" | "hook" | "restart", cause: string | null): void {
  endPause(d, e.at);
  d.state = "released";
  d.releasedAt = e.at;
  d.releaseConfirmedBy = by;
  d.endCause = cause ?? (d.timedOutAt !== null ? "timed out" : d.closedAt !== null ? "closed" : "vanished");
}

/** The rtp.* transitions of the key's live session, as the reducer makes them. */
function transition(d: PortSession, e: PortscopeEvent): void {
  const p = e.payload;
  switch (e.kind) {
    case "rtp.receiving":
      mediaArrived(d, e.at);
      break;
    case "rtp.media_stopped":
      mediaStopped(d, e.at);
      break;
    case "rtp.timed_out":
      if ("timeoutOf" in p && p.timeoutOf !== d.id) break; // the model gave it to the session before, or to a ghost
      if (d.state !== "closed" && (d.port === null || e.port === null || d.port === e.port)) (d.state = "timed_out"), (d.timedOutAt ??= e.at);
      break;
    case "rtp.closed":
      d.state = "closed";
      d.closedAt = e.at;
      d.closedBy = e.source;
      break;
    case "rtp.released": {
      const by = p.confirmedBy === "hook" || p.confirmedBy === "restart" || p.confirmedBy === "poll" ? p.confirmedBy : e.source === "poll" ? "poll" : "hook";
      release(d, e, by, typeof p.cause === "string" ? p.cause : null);
      break;
    }
    case "rtp.open_failed":
      recordRejectedOpen(d, e);
      break;
    case "action.started":
      recordAction(d, e);
      break;
    default:
      break;
  }
}

export function patchSessions(list: PortSession[], events: PortscopeEvent[], matches: (s: PortSession) => boolean = () => true): PortSession[] {
  let out: PortSession[] | null = null;
  const index = new Map<string, number>();
  const reindex = () => {
    index.clear();
    (out ?? list).forEach((x, k) => LIVE_STATES.has(x.state) && index.set(`${x.nodeId}|${x.key}`, k));
  };
  reindex();
  const commit = (i: number, d: PortSession, e: PortscopeEvent) => {
    const cur = (out ?? list)[i];
    if (JSON.stringify(d) === JSON.stringify(cur)) return false;
    out ??= [...list];
    out[i] = { ...d, lastEventId: Math.max(cur.lastEventId, e.id), lastEventAt: Math.max(cur.lastEventAt, e.at) };
    return true;
  };
  const add = (s: PortSession) => {
    out ??= [...list];
    out.unshift(s);
    reindex();
  };
  for (const e of events) {
    if (!touchesSessions(e)) continue;
    if (e.kind === "node.restarted") {
      for (const [slot, i] of [...index]) {
        const s = (out ?? list)[i];
        if (s.nodeId !== e.nodeId || e.id <= s.lastEventId) continue;
        const d = clone(s);
        release(d, e, "restart", "node restarted");
        commit(i, d, e);
        index.delete(slot);
      }
      continue;
    }
    if (!e.key) continue;
    const slot = `${e.nodeId}|${e.key}`;
    let i = index.get(slot);
    const id = `${e.nodeId}|${e.key}|${e.id}`;
    // A refetch may already contain what this batch says: never apply an event twice or backwards.
    if ((e.kind === "rtp.opened" || e.kind === "rtp.open_failed") && (out ?? list).some((x) => x.id === id)) continue;
    if (e.kind === "rtp.opened" && i !== undefined && isReplacedBy((out ?? list)[i], e)) {
      const d = clone((out ?? list)[i]);
      release(d, e, e.source === "poll" ? "poll" : "hook", d.state === "timed_out" || d.state === "closed" || d.tcpMode === 1 ? null : "reopened");
      commit(i, d, e);
      index.delete(slot);
      i = undefined;
    }
    if (e.kind === "rtp.opened" && i === undefined) {
      const s = blank(e, e.key, "waiting");
      if (matches(s)) add(s);
      continue;
    }
    if (e.kind === "rtp.open_failed" && i === undefined) {
      const s = { ...blank(e, e.key, "open_failed"), port: null, failure: failureOf(e.payload) };
      if (matches(s)) add(s);
      continue;
    }
    if (e.kind === "action.finished") finishElsewhere(e, i);
    if (i === undefined) continue;
    const s = (out ?? list)[i];
    if (e.id <= s.lastEventId) continue;
    const d = clone(s);
    settlePause(d, e);
    if (e.kind === "action.finished") recordAction(d, e);
    const pause = pauseSignal(e, d);
    if (pause) pause.pause ? startPause(d, e.at, pause.seconds) : endPause(d, e.at);
    transition(d, e);
    commit(i, d, e);
    if (d.state === "released") index.delete(slot);
  }
  return out ?? list;

  /** An action's outcome also lands on the session it started on (a reopen's closed predecessor). */
  function finishElsewhere(e: PortscopeEvent, live: number | undefined): void {
    const actionId = e.payload.actionId;
    const rows = out ?? list;
    const home = rows.findIndex((x, k) => k !== live && x.nodeId === e.nodeId && x.key === e.key && x.actions?.some((a) => a.actionId === actionId && a.finishedAt === null));
    if (home < 0) return;
    const d = clone(rows[home]);
    recordAction(d, e);
    out ??= [...list];
    out[home] = d;
  }
}

/** As the reducer: a new open of a key ends a timed-out or closed session, or one opened by another tapped answer. */
function isReplacedBy(s: PortSession, e: PortscopeEvent): boolean {
  if (e.id <= s.lastEventId) return false;
  return s.state === "timed_out" || s.state === "closed" || (e.source === "tap" && s.openedBy === "tap" && e.at > s.openedAt);
}
