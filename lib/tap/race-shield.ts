/**
 * The race shield's policy: what to do with a tapped openRtpServer that ZLM
 * refused as a conflict. Pure: it sees facts (the request, the holder ZLM
 * lists, whether the caller's own close of the key is on its way, the clock)
 * and returns one step; `shield-run.ts` carries the steps out. Invariant of
 * every policy: a holder with live media is never closed or altered.
 *
 * - `wait` retries within `deadlineMs` and returns ZLM's real final answer;
 * - `adopt` answers with an idle holder's port when it is a twin of the request;
 * - `takeover` closes a holder idle for `idleMs`, then opens;
 * - `absorb` (recommended for wvp-like platforms, docs/actions.md) fits callers
 *   that take a new SSRC per play, double-click, run their own play timer and
 *   close-then-open: their own close is a sequence (wait for it, then open); a
 *   waiting holder is adopted whatever its SSRC and moved to the caller's SSRC
 *   with updateRtpServerSSRC (wvp itself calls it on a waiting server when a
 *   camera answers with another SSRC: PlayServiceImpl.InviteOKHandler, master
 *   768d740); a holder ZLM is about to time out is replaced by a fresh one.
 */
import { decideRetry, DEFAULT_RETRY_POLICY, type RetryPolicy } from "../actions/retry-policy";

export const SHIELD_POLICIES = ["off", "wait", "adopt", "takeover", "absorb"] as const;
export type ShieldPolicy = (typeof SHIELD_POLICIES)[number];

export interface ShieldConfig {
  policy: ShieldPolicy;
  /** Keep below the platform's own HTTP timeout (wvp: OkHttp read timeout 10 s). */
  deadlineMs: number;
  /** `takeover`: how long a holder must have waited before it is closed. */
  idleMs: number;
  /** `absorb`: adopt a waiting holder only if ZLM keeps it at least this long; otherwise replace it. */
  minLifeMs?: number;
}

export const DEFAULT_SHIELD: ShieldConfig = { policy: "off", deadlineMs: 5000, idleMs: 5000 };
/** Cameras answer an INVITE 0.2-3 s late (issue 11): an adopted server must outlive that. */
export const DEFAULT_MIN_LIFE_MS = 3500;

export interface Holder {
  port: number;
  tcp_mode: number;
  ssrc: number;
  hasMedia: boolean;
  /** When Portscope first saw it (null: not seen before). */
  openedAt: number | null;
}

export interface OpenRequest {
  streamId: string;
  tcp_mode: number;
  ssrc: number;
  /** 0: any port from the pool. */
  port: number;
}

export interface ShieldFacts {
  cfg: ShieldConfig;
  request: OpenRequest;
  /** The server ZLM lists under the key, null when none is listed (it went meanwhile). */
  holder: Holder | null;
  /** A closeRtpServer of this key is in flight through the tap (sent, not answered yet). */
  closeInFlight: boolean;
  /** The node's rtp_proxy.timeoutSec in ms, null when unknown. */
  zlmTimeoutMs: number | null;
  /** Opens sent so far for this request (1 = the caller's own). */
  attempt: number;
  elapsedMs: number;
  now: number;
  /** [0, 1), for the retry jitter. */
  random: number;
  /** What this request already tried: each is done at most once. */
  tried: { awaitRelease: boolean; update: boolean; replace: boolean };
}

export type ShieldStep =
  | { do: "answer"; decision: string }
  | { do: "retry"; delayMs: number; decision: string }
  | { do: "adopt"; port: number; updateSsrcTo: number | null; decision: string }
  | { do: "replace"; decision: string }
  | { do: "await-release"; decision: string };

/** `wait` never looks at the holder; the others do before each step. */
export const needsHolder = (policy: ShieldPolicy) => policy !== "off" && policy !== "wait";

/** wvp's SSRC-named stream ids (`%08X` of the SSRC, RtpServerServiceImpl.openCommonRTPServer): the holder is another play's. */
export const namedBySsrc = (streamId: string) => /^[0-9A-F]{8}$/.test(streamId);

/** ZLM checks a server every 3 s from its open and drops one without frames at the first check past timeoutSec (zlm-reference 5.4). */
export function zlmDropsAt(openedAt: number, timeoutMs: number): number {
  return openedAt + 3000 * Math.ceil(timeoutMs / 3000);
}

export function decideShield(f: ShieldFacts): ShieldStep {
  const { cfg, holder, request } = f;
  if (cfg.policy === "off") return { do: "answer", decision: "none" };
  const retry = (why: string): ShieldStep => {
    const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, deadlineMs: cfg.deadlineMs };
    const d = decideRetry({ policy, attempt: f.attempt, elapsedMs: f.elapsedMs, kind: "conflict", retryConflicts: true, random: () => f.random });
    return d.retry ? { do: "retry", delayMs: d.delayMs, decision: why } : { do: "answer", decision: `${why}; gave up (${d.reason}) after ${f.attempt} attempt(s)` };
  };
  if (cfg.policy === "wait") return retry("waited");
  if (cfg.policy === "absorb" && f.closeInFlight && !f.tried.awaitRelease) return { do: "await-release", decision: "a close of this key is on its way: waited for it, then opened (a sequence, not a race)" };
  if (!holder) return retry("holder gone");
  if (cfg.policy === "adopt") {
    if (holder.hasMedia) return { do: "answer", decision: "kept: holder has live media" };
    const twin = holder.tcp_mode === request.tcp_mode && (request.ssrc === 0 || holder.ssrc === request.ssrc);
    return twin ? { do: "adopt", port: holder.port, updateSsrcTo: null, decision: "adopted the idle holder's port" } : { do: "answer", decision: "kept: holder differs from the request" };
  }
  if (cfg.policy === "takeover") {
    if (holder.hasMedia) return { do: "answer", decision: "kept: holder has live media" };
    if (f.tried.replace) return retry("took over an idle holder");
    const idleFor = holder.openedAt === null ? 0 : f.now - holder.openedAt;
    if (idleFor < cfg.idleMs) return { do: "answer", decision: `kept: holder idle for ${idleFor} ms, less than ${cfg.idleMs} ms` };
    return { do: "replace", decision: "took over an idle holder" };
  }
  return decideAbsorb(f, holder, retry);
}

function decideAbsorb(f: ShieldFacts, holder: Holder, retry: (why: string) => ShieldStep): ShieldStep {
  const { request } = f;
  // SSRC-named keys change with every play, so a conflict means the pool handed out a waiting play's SSRC:
  // the holder is another camera's, and sharing it would cross their media.
  if (namedBySsrc(request.streamId)) return { do: "answer", decision: "kept: the key is named after an SSRC that another waiting play holds" };
  // Not shared either: the caller would INVITE its camera to that port with its own SSRC, and a camera that
  // can send one stream would leave the live session for one ZLM drops.
  if (holder.hasMedia) return { do: "answer", decision: "kept: holder has live media" };
  const fits = holder.tcp_mode === request.tcp_mode && (request.port === 0 || request.port === holder.port);
  if (f.tried.replace) return retry("replaced the waiting holder");
  if (!fits) return { do: "replace", decision: `replaced the waiting holder: it differs (tcp_mode ${holder.tcp_mode}, port ${holder.port})` };
  if (f.tried.update) return { do: "replace", decision: "replaced the waiting holder: its SSRC could not be moved" };
  const minLife = f.cfg.minLifeMs ?? DEFAULT_MIN_LIFE_MS;
  if (f.zlmTimeoutMs !== null && holder.openedAt !== null) {
    const left = zlmDropsAt(holder.openedAt, f.zlmTimeoutMs) - f.now;
    if (left < minLife) return { do: "replace", decision: `replaced the waiting holder: ZLM drops it in ${Math.max(0, left)} ms, less than ${minLife} ms` };
  }
  const move = request.ssrc !== holder.ssrc ? request.ssrc : null;
  return { do: "adopt", port: holder.port, updateSsrcTo: move, decision: move === null ? "adopted the waiting holder (same SSRC)" : `adopted the waiting holder, SSRC ${holder.ssrc} -> ${move}` };
}

/** ZLM's layout for {"code":0,"port":N} (tab-indented, keys sorted, trailing newline). */
export const zlmPortAnswer = (port: number) => `{\n\t"code" : 0,\n\t"port" : ${port}\n}\n`;
