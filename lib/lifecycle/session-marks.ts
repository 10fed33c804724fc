/**
 * What a session carries besides its main transitions: pauseRtpCheck windows
 * (the "paused" state), operator actions and refused opens with their verdict.
 * Pure helpers that edit the given session in place; the reducer and the
 * browser's live patching (lib/queries/patch-sessions.ts) share them, so the
 * server's model and the live timeline agree.
 */
import type { PortscopeEvent } from "../events/types";
import type { FailureVerdict, PortSession, SessionAction } from "./types";

/** Per-session cap on kept actions and refused opens: enough for a tooltip, bounded for 200k sessions. */
export const MAX_SESSION_MARKS = 20;
/** ZLM's pauseRtpCheck default when pause_seconds is 0 or absent (reference 2.8). */
export const DEFAULT_PAUSE_SECONDS = 300;
const CAUSES = new Set<string>(["a", "b", "c", "d", "e", "f", "unknown"]);

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : typeof v === "string" && v !== "" && Number.isFinite(Number(v)) ? Number(v) : null);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** The verdict an "already exists" carries (payload.verdict), without its evidence. */
export function verdictOf(v: unknown): FailureVerdict | null {
  if (!v || typeof v !== "object") return null;
  const r = v as Record<string, unknown>;
  if (typeof r.cause !== "string" || !CAUSES.has(r.cause)) return null;
  return { cause: r.cause as FailureVerdict["cause"], title: str(r.title) ?? "", fix: str(r.fix) ?? "" };
}

/** The failure of a refused open, as kept on an open_failed session. */
export function failureOf(p: Record<string, unknown>): NonNullable<PortSession["failure"]> {
  return { code: num(p.code), msg: str(p.msg), kind: str(p.kind) ?? "permanent", verdict: verdictOf(p.verdict) };
}

/** Whether this event can change a session's marks (the browser patches its cache on these too). */
export function isMarkEvent(ev: PortscopeEvent): boolean {
  return ev.kind === "action.started" || ev.kind === "action.finished" || ev.kind === "tap.call" || ev.kind === "stream.unregistered";
}

const pauseEndpoint = (p: Record<string, unknown>) => (p.endpoint === "pauseRtpCheck" ? "pause" : p.endpoint === "resumeRtpCheck" ? "resume" : null);

/**
 * A pause or resume of the key's timeout check that ZLM accepted: an operator
 * action that finished ok, or a tapped call answered with code 0.
 */
export function pauseSignal(ev: PortscopeEvent, s: PortSession | undefined): { pause: true; seconds: number } | { pause: false } | null {
  const p = ev.payload;
  if (ev.kind === "action.finished" && p.ok === true && (p.action === "pause" || p.action === "resume")) {
    if (p.action === "resume") return { pause: false };
    const started = s?.actions?.find((a) => a.actionId === p.actionId);
    return { pause: true, seconds: started?.pauseSeconds || DEFAULT_PAUSE_SECONDS };
  }
  if (ev.kind === "tap.call" && pauseEndpoint(p) && (num(p.code) ?? num((p.answer as Record<string, unknown> | null)?.code)) === 0) {
    if (pauseEndpoint(p) === "resume") return { pause: false };
    const params = (p.params ?? {}) as Record<string, unknown>;
    return { pause: true, seconds: num(params.pause_seconds) || DEFAULT_PAUSE_SECONDS };
  }
  return null;
}

const afterPause = (s: PortSession) => (s.firstMediaAt !== null ? "receiving" : "waiting");

/** Starts (or, when already paused, extends) a pause; only a server that is waiting or receiving can be paused. */
export function startPause(s: PortSession, at: number, seconds: number): void {
  const pauses = (s.pauses ??= []);
  const open = pauses[pauses.length - 1];
  if (s.state === "paused" && open && open.to === null) {
    open.until = at + seconds * 1000;
    return;
  }
  if (s.state !== "waiting" && s.state !== "receiving") return;
  // ZLM accepts a pause only for a registered stream (reference 2.8): media is there even if no hook said so yet.
  s.firstMediaAt ??= at;
  pauses.push({ from: at, to: null, until: at + seconds * 1000 });
  if (pauses.length > MAX_SESSION_MARKS) pauses.shift();
  s.state = "paused";
}

/** Ends the open pause at `at` (or at its expiry, if that came first) and goes back to the state under it. */
export function endPause(s: PortSession, at: number): void {
  const open = s.pauses?.[s.pauses.length - 1];
  if (open && open.to === null) open.to = Math.min(at, open.until);
  if (s.state === "paused") s.state = afterPause(s);
}

/**
 * A paused session meets an event of its key: the pause ends on its expiry,
 * on media end, timeout, close or release, and the event then applies as usual.
 * A timeout means no frame for timeoutSec, so media stopped first (as normalize-hook infers it for a receiver).
 */
export function settlePause(s: PortSession, ev: PortscopeEvent): void {
  if (s.state !== "paused") return;
  const open = s.pauses?.[s.pauses.length - 1];
  if (!open || open.to !== null) return void (s.state = afterPause(s));
  if (ev.at >= open.until) endPause(s, open.until);
  // Ingest saw "paused", not "receiving", so it inferred no media stop: infer it here.
  const mediaEnded = () => {
    endPause(s, ev.at);
    s.state = "media_stopped";
    s.mediaStoppedAt = ev.at;
  };
  switch (ev.kind) {
    case "rtp.receiving":
      s.firstMediaAt ??= ev.at;
      break;
    case "stream.unregistered":
      mediaEnded();
      break;
    case "rtp.timed_out": {
      const port = num(ev.payload.local_port) ?? ev.port;
      if (s.port !== null && port !== null && s.port !== port) break; // a ghost receiver's timeout: not this server
      mediaEnded();
      break;
    }
    case "rtp.media_stopped":
    case "rtp.closed":
    case "rtp.released":
      endPause(s, ev.at);
      break;
    default:
      break;
  }
}

/**
 * rtp.receiving: first media, or media again after a stop (a poll saw totalBytes grow, or the
 * stream registered again). The stop is over, so the timeline draws receiving from here on.
 */
export function mediaArrived(s: PortSession, at: number): void {
  if (s.state !== "waiting" && s.state !== "media_stopped") return;
  s.state = "receiving";
  s.firstMediaAt ??= at;
  s.mediaStoppedAt = null;
}

/** rtp.media_stopped of a receiving session (a paused one was brought back to receiving by settlePause). */
export function mediaStopped(s: PortSession, at: number): void {
  if (s.state !== "receiving") return;
  s.state = "media_stopped";
  s.mediaStoppedAt = at;
}

/** Records an action's start or its outcome on the session; returns the entry. */
export function recordAction(s: PortSession, ev: PortscopeEvent): SessionAction | null {
  const p = ev.payload;
  const actionId = str(p.actionId);
  if (!actionId || (ev.kind !== "action.started" && ev.kind !== "action.finished")) return null;
  const actions = (s.actions ??= []);
  let entry = actions.find((a) => a.actionId === actionId);
  if (!entry) {
    const request = (p.request ?? {}) as Record<string, unknown>;
    entry = { actionId, action: str(p.action) ?? "?", reason: str(p.reason), at: ev.at, finishedAt: null, outcome: null, ok: null };
    const by = str((p.actor as Record<string, unknown> | null | undefined)?.user);
    if (by) entry.by = by;
    const pauseSeconds = num(request.pause_seconds);
    if (pauseSeconds) entry.pauseSeconds = pauseSeconds;
    actions.push(entry);
    if (actions.length > MAX_SESSION_MARKS) actions.shift();
  }
  if (ev.kind === "action.finished") {
    entry.finishedAt = ev.at;
    entry.outcome = str(p.outcome);
    entry.ok = typeof p.ok === "boolean" ? p.ok : null;
  }
  return entry;
}

/** An open ZLM refused while this session held the key: kept with its verdict for the timeline. */
export function recordRejectedOpen(s: PortSession, ev: PortscopeEvent): void {
  const f = failureOf(ev.payload);
  const list = (s.rejectedOpens ??= []);
  list.push({ at: ev.at, code: f.code, msg: f.msg, verdict: f.verdict ?? null });
  if (list.length > MAX_SESSION_MARKS) list.shift();
}
