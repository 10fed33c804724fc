/**
 * Carries out the race shield's steps for one conflicting open: asks the
 * policy (`race-shield.ts`) what to do, does it through injected I/O, asks
 * again until there is an answer for the caller. Every step and the facts it
 * rested on go into the evidence, for the `shield.decision` event.
 */
import { decideShield, needsHolder, zlmPortAnswer, type Holder, type OpenRequest, type ShieldConfig, type ShieldFacts } from "./race-shield";

export interface OpenAttempt {
  status: number;
  text: string;
  code: number | null;
  conflict: boolean;
}

export interface ShieldIo {
  open(): Promise<OpenAttempt>;
  holder(): Promise<Holder | null>;
  /** updateRtpServerSSRC on the holder; false when ZLM refused (e.g. the server went). */
  updateSsrc(ssrc: number): Promise<boolean>;
  close(): Promise<boolean>;
  /** Polls until ZLM no longer lists the key; false if it still does at the end. */
  waitForRelease(): Promise<boolean>;
  closeInFlight(): boolean;
  zlmTimeoutMs(): Promise<number | null>;
  sleep(ms: number): Promise<void>;
  now(): number;
  random(): number;
}

export interface ShieldOutcome {
  /** The answer for the platform: ZLM's own text, or a ZLM-shaped success for an adopted holder. */
  status: number;
  text: string;
  decision: string;
  evidence: Record<string, unknown>;
  /** Holders the shield closed, each with what it knew of their media at that moment (the bench audits these). */
  closed: { port: number; hasMedia: boolean }[];
}

const MAX_STEPS = 40;

export async function runShield(first: OpenAttempt, request: OpenRequest, cfg: ShieldConfig, io: ShieldIo): Promise<ShieldOutcome> {
  const started = io.now();
  const tried = { awaitRelease: false, update: false, replace: false };
  const steps: { do: string; decision: string; holder: Holder | null }[] = [];
  const closed: ShieldOutcome["closed"] = [];
  const zlmTimeoutMs = cfg.policy === "absorb" ? await io.zlmTimeoutMs() : null;
  let last = first;
  let attempt = 1;
  const done = (decision: string, a: OpenAttempt): ShieldOutcome => ({ status: a.status, text: a.text, decision, evidence: { attempts: attempt, steps, zlmTimeoutMs }, closed });
  const openAgain = async () => {
    last = await io.open();
    attempt++;
    return !last.conflict;
  };
  for (let i = 0; i < MAX_STEPS; i++) {
    const holder = needsHolder(cfg.policy) ? await io.holder() : null;
    const facts: ShieldFacts = { cfg, request, holder, closeInFlight: io.closeInFlight(), zlmTimeoutMs, attempt, elapsedMs: io.now() - started, now: io.now(), random: io.random(), tried };
    const step = decideShield(facts);
    steps.push({ do: step.do, decision: step.decision, holder });
    switch (step.do) {
      case "answer":
        return done(step.decision, last);
      case "retry":
        await io.sleep(step.delayMs);
        if (await openAgain()) return done(`${step.decision}; ${last.code === 0 ? "opened" : `ZLM answered ${last.code}`} after ${attempt} attempts`, last);
        break;
      case "await-release":
        tried.awaitRelease = true;
        await io.waitForRelease();
        if (await openAgain()) return done(step.decision, last);
        break;
      case "adopt":
        if (step.updateSsrcTo !== null) {
          tried.update = true;
          if (!(await io.updateSsrc(step.updateSsrcTo))) break;
        }
        return { ...done(step.decision, last), status: 200, text: zlmPortAnswer(step.port) };
      case "replace": {
        tried.replace = true;
        if (holder) closed.push({ port: holder.port, hasMedia: holder.hasMedia });
        await io.close();
        if (!(await io.waitForRelease())) return done(`${step.decision}; release not confirmed`, last);
        if (await openAgain()) return done(step.decision, last);
        break;
      }
    }
  }
  return done("gave up: too many steps", last);
}
