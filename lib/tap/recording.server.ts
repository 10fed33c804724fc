import "server-only";
import type { NewEvent, PortscopeEvent } from "../events/types";
import type { Lifecycle } from "../lifecycle/reduce";
import type { PortSession } from "../lifecycle/types";
import { classifyZlmAnswer } from "../zlm/errors";
import { createDiagnoser, needsVerdict } from "../diagnosis/diagnoser";
import { redactSecrets } from "../zlm/redact";

/**
 * The tap's memory of recent calls per key (the two sides of a race: closes
 * in flight, opens just answered, concurrent opens, getRtpInfo answers and
 * conflicts) and the recording of each tapped call as events, with an
 * "already exists" diagnosed from that memory. Recording runs after the
 * platform has its answer.
 */
export interface RecordedCall {
  nodeId: string;
  endpoint: string;
  caller: string | null;
  /** Query and body parameters as ZLM merges them, without the secret. */
  params: Record<string, string>;
  key: string | null;
}

export interface RecorderDeps {
  append(events: NewEvent[]): Promise<PortscopeEvent[]>;
  lifecycle: Pick<Lifecycle, "currentSession" | "node">;
  recentForStream(nodeId: string, streamId: string, since: number): Promise<PortscopeEvent[]>;
  buildTime(nodeId: string): string | null;
  commitHash?(nodeId: string): string | null;
}

/** What the diagnosis needs, read the moment ZLM answered. */
export interface AnswerSnapshot {
  holder: PortSession | null;
  pendingCloseAt: number | null;
  recentOpenAt: number | null;
  rtpInfoExist: boolean | null;
}

/** Per-key race bookkeeping is only read within seconds; past this many keys, older entries go. */
const MAX_REMEMBERED = 10_000;
/** How long an answered close still counts as "just closed" for a following open. */
const CLOSE_MEMORY_MS = 1500;

export function createTapRecorder(deps: RecorderDeps) {
  const diagnose = createDiagnoser(deps);
  /** The last getRtpInfo answer per key, to tell "already exists while getRtpInfo said absent". */
  const lastRtpInfo = new Map<string, { exist: boolean; at: number }>();
  /** The last "already exists" per key: a getRtpInfo saying absent just after it is the same contradiction, the other way round. */
  const lastConflict = new Map<string, number>();
  /** Closes forwarded and not yet answered (or answered within CLOSE_MEMORY_MS), and opens just answered with success. */
  const pendingCloses = new Map<string, number>();
  const recentOpens = new Map<string, number>();
  const openingNow = new Map<string, number>();
  /** Closes forwarded and not answered yet, per key: an open that conflicts meanwhile raced its caller's own close. */
  const closingNow = new Map<string, number>();
  const slot = (nodeId: string, key: string) => `${nodeId}|${key}`;

  /** Before forwarding: a close or an open of the key is now in flight. */
  function sent(nodeId: string, endpoint: string, key: string | null, at: number): void {
    if (!key) return;
    if (endpoint === "closeRtpServer") {
      pendingCloses.set(slot(nodeId, key), at);
      closingNow.set(slot(nodeId, key), (closingNow.get(slot(nodeId, key)) ?? 0) + 1);
    }
    if (endpoint === "openRtpServer") openingNow.set(slot(nodeId, key), (openingNow.get(slot(nodeId, key)) ?? 0) + 1);
  }

  /** After ZLM answered (or did not): returns whether another open of the key was still in flight. */
  function answered(nodeId: string, endpoint: string, key: string | null, openSucceeded: boolean, at: number): boolean {
    if (!key) return false;
    const s = slot(nodeId, key);
    let concurrentOpen = false;
    if (endpoint === "openRtpServer") {
      const inFlight = openingNow.get(s) ?? 1;
      concurrentOpen = inFlight > 1;
      if (inFlight > 1) openingNow.set(s, inFlight - 1);
      else openingNow.delete(s);
      if (openSucceeded) {
        recentOpens.set(s, at);
        if (recentOpens.size > MAX_REMEMBERED) forgetOlder(recentOpens, at - CLOSE_MEMORY_MS);
      }
    }
    if (endpoint === "closeRtpServer") {
      const left = (closingNow.get(s) ?? 1) - 1;
      if (left > 0) closingNow.set(s, left);
      else closingNow.delete(s);
      const sentAt = pendingCloses.get(s);
      setTimeout(() => {
        if (pendingCloses.get(s) === sentAt) pendingCloses.delete(s);
      }, CLOSE_MEMORY_MS).unref?.();
    }
    return concurrentOpen;
  }

  /**
   * A close of the key forwarded and not answered yet: an open that conflicts now is the second half of a
   * close-then-open. (A close already answered freed the key, or hit a server opened after it: no sequence.)
   */
  function closeInFlight(nodeId: string, key: string): boolean {
    return closingNow.has(slot(nodeId, key));
  }

  function snapshot(nodeId: string, key: string | null, at: number, concurrentOpen: boolean): AnswerSnapshot {
    if (!key) return { holder: null, pendingCloseAt: null, recentOpenAt: null, rtpInfoExist: null };
    const s = slot(nodeId, key);
    const pendingCloseAt = pendingCloses.get(s) ?? null;
    const info = lastRtpInfo.get(s);
    return {
      holder: deps.lifecycle.currentSession(nodeId, key) ?? null,
      pendingCloseAt: pendingCloseAt !== null && pendingCloseAt <= at ? pendingCloseAt : null,
      recentOpenAt: recentOpens.get(s) ?? (concurrentOpen ? at : null),
      rtpInfoExist: info && at - info.at < 10_000 ? info.exist : null,
    };
  }

  async function record(call: RecordedCall, status: number | null, text: string | null, at: number, networkError: string | null, snap: AnswerSnapshot): Promise<void> {
    const { nodeId, endpoint, key, params: p } = call;
    let answer: Record<string, unknown> | null = null;
    try {
      answer = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    } catch {
      answer = null;
    }
    const code = typeof answer?.code === "number" ? answer.code : null;
    const msg = typeof answer?.msg === "string" ? answer.msg : null;
    // A node's whole server list per call would bloat the log and every browser's stream; the poller records its rows.
    const kept = endpoint === "listRtpServer" && Array.isArray(answer?.data) ? { code, servers: (answer.data as unknown[]).length } : answer;
    const payload = redactSecrets({ endpoint, caller: call.caller, params: p, status, answer: kept, networkError });
    const ev = (kind: NewEvent["kind"], port: number | null, extra: Record<string, unknown> = {}): NewEvent => ({ at, nodeId, kind, key, port, source: "tap", payload: { ...payload, ...extra } });

    if ((endpoint === "openRtpServer" || endpoint === "openRtpServerMultiplex") && key) {
      if (code === 0) {
        await deps.append([ev("rtp.opened", Number(answer?.port), { port: answer?.port, tcp_mode: Number(p.tcp_mode ?? 0), ssrc: Number(p.ssrc ?? 0) })]);
        return;
      }
      const kind = classifyZlmAnswer({ code, msg, httpStatus: status, networkError });
      const extra: Record<string, unknown> = { code, msg, kind, rtpInfoExist: snap.rtpInfoExist };
      if (kind === "conflict") {
        lastConflict.set(slot(nodeId, key), at);
        if (lastConflict.size > MAX_REMEMBERED) forgetOlder(lastConflict, at - 10_000);
      }
      if (needsVerdict(code, msg)) {
        extra.verdict = await diagnose({ nodeId, key, at, code, msg, requestedPort: Number(p.port) || null, holder: snap.holder, pendingCloseAt: snap.pendingCloseAt, recentOpenAt: snap.recentOpenAt });
      }
      await deps.append([ev("rtp.open_failed", null, extra)]);
      return;
    }
    if (endpoint === "closeRtpServer" && key) {
      const hit = Number(answer?.hit ?? 0);
      const port = snap.holder?.port ?? null;
      await deps.append([ev("rtp.close_requested", port), ...(code === 0 && hit > 0 ? [ev("rtp.closed", port, { hit })] : [])]);
      return;
    }
    let conflictBeforeAt: number | null = null;
    if (endpoint === "getRtpInfo" && key && code === 0) {
      lastRtpInfo.set(slot(nodeId, key), { exist: answer?.exist === true, at });
      if (lastRtpInfo.size > MAX_REMEMBERED) for (const [k, v] of lastRtpInfo) if (at - v.at > 10_000) lastRtpInfo.delete(k);
      const conflictAt = lastConflict.get(slot(nodeId, key));
      if (answer?.exist === false && conflictAt !== undefined && at - conflictAt < 10_000) conflictBeforeAt = conflictAt;
    }
    await deps.append([ev("tap.call", null, conflictBeforeAt === null ? { code } : { code, conflictBeforeAt })]);
  }

  return { sent, answered, closeInFlight, snapshot, record };
}

export type TapRecorder = ReturnType<typeof createTapRecorder>;

function forgetOlder(m: Map<string, number>, before: number): void {
  for (const [k, at] of m) if (at < before) m.delete(k);
}
