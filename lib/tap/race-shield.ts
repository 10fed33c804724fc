/**
 * The opt-in race shield: what the tap does when a platform's openRtpServer
 * meets a conflict. `wait` retries within a deadline shorter than the caller's
 * own HTTP timeout and returns ZLM's real final answer; `adopt` answers with
 * the holder's port when the holder is an idle twin of the request (the fix
 * ZLM's maintainers suggest: reuse the port); `takeover` closes a holder that
 * has had no media for `idleMs`, then opens. A server with live media is
 * never closed. Every decision is returned with its evidence, for the log.
 */
import { decideRetry, DEFAULT_RETRY_POLICY, type RetryPolicy } from "../actions/retry-policy";

export type ShieldPolicy = "off" | "wait" | "adopt" | "takeover";

export interface ShieldConfig {
  policy: ShieldPolicy;
  /** Keep below the platform's own HTTP timeout (wvp: 10 s by default). */
  deadlineMs: number;
  idleMs: number;
}

export const DEFAULT_SHIELD: ShieldConfig = { policy: "off", deadlineMs: 5000, idleMs: 5000 };

export interface Holder {
  port: number;
  tcp_mode: number;
  ssrc: number;
  hasMedia: boolean;
  /** When Portscope first saw it (null: not seen before). */
  openedAt: number | null;
}

export interface OpenAttempt {
  status: number;
  text: string;
  code: number | null;
  conflict: boolean;
}

export interface ShieldIo {
  open(): Promise<OpenAttempt>;
  holder(): Promise<Holder | null>;
  close(): Promise<boolean>;
  waitForRelease(): Promise<boolean>;
  sleep(ms: number): Promise<void>;
  now(): number;
  random(): number;
}

export interface ShieldOutcome {
  /** The answer for the platform: ZLM's own text, or a ZLM-shaped success for `adopt`. */
  status: number;
  text: string;
  decision: string;
  evidence: Record<string, unknown>;
}

/** ZLM's layout for {"code":0,"port":N} (tab-indented, keys sorted, trailing newline). */
export const zlmPortAnswer = (port: number) => `{\n\t"code" : 0,\n\t"port" : ${port}\n}\n`;

export async function shieldOpen(first: OpenAttempt, request: { tcp_mode: number; ssrc: number }, cfg: ShieldConfig, io: ShieldIo, policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, deadlineMs: cfg.deadlineMs }): Promise<ShieldOutcome> {
  const pass = (decision: string, a: OpenAttempt, evidence: Record<string, unknown> = {}): ShieldOutcome => ({ status: a.status, text: a.text, decision, evidence });
  if (cfg.policy === "off" || !first.conflict) return pass("none", first);

  if (cfg.policy === "adopt" || cfg.policy === "takeover") {
    const holder = await io.holder();
    if (!holder) return retryUntil(first, "holder gone");
    const evidence = { holder };
    if (holder.hasMedia) return pass("kept: holder has live media", first, evidence);
    if (cfg.policy === "adopt") {
      const twin = holder.tcp_mode === request.tcp_mode && (request.ssrc === 0 || holder.ssrc === request.ssrc);
      return twin ? { status: 200, text: zlmPortAnswer(holder.port), decision: "adopted the idle holder's port", evidence } : pass("kept: holder differs from the request", first, evidence);
    }
    const idleFor = holder.openedAt === null ? 0 : io.now() - holder.openedAt;
    if (idleFor < cfg.idleMs) return pass(`kept: holder idle for ${idleFor} ms, less than ${cfg.idleMs} ms`, first, evidence);
    await io.close();
    if (!(await io.waitForRelease())) return pass("takeover: release not confirmed", first, evidence);
    return retryUntil(first, "took over an idle holder", evidence);
  }
  return retryUntil(first, "waited");

  async function retryUntil(last: OpenAttempt, why: string, evidence: Record<string, unknown> = {}): Promise<ShieldOutcome> {
    const started = io.now();
    let attempt = 1;
    for (;;) {
      const d = decideRetry({ policy, attempt, elapsedMs: io.now() - started, kind: last.conflict ? "conflict" : "permanent", retryConflicts: true, random: io.random });
      if (!d.retry || !last.conflict) return { status: last.status, text: last.text, decision: `${why}; ${last.conflict ? `gave up (${d.retry ? "" : d.reason})` : "opened"} after ${attempt} attempt(s)`, evidence: { ...evidence, attempts: attempt } };
      await io.sleep(d.delayMs);
      last = await io.open();
      attempt++;
      if (!last.conflict) return { status: last.status, text: last.text, decision: `${why}; opened after ${attempt} attempts`, evidence: { ...evidence, attempts: attempt } };
    }
  }
}
