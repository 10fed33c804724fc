import { createHash } from "node:crypto";

/**
 * Recognises ZLM's retried hook deliveries. A retry carries the same body with
 * a new `hook_index`, and only happens when ZLM did not get a valid answer.
 * So a repeat of a body we *acknowledged* is a genuine new event (a ghost
 * receiver legitimately sends identical timeout hooks every 3 s), while a
 * repeat of one we stored but never acknowledged (slow answer, crash between
 * commit and reply) is a duplicate and is recorded once.
 */
export interface DedupeEntry {
  fingerprint: string;
  eventId: number | null;
  at: number;
  acked: boolean;
}

/** Default window: hook.timeoutSec (10) + retry_delay (3), with slack for a retry of a retry. */
export const DEFAULT_DEDUPE_WINDOW_MS = 30_000;

/**
 * Node + body without hook_index. The hook name is left out on purpose: it is
 * not stored with the event, and bodies of different hooks differ anyway, so
 * fingerprints can be rebuilt from the log after a restart.
 */
export function hookFingerprint(nodeId: string, body: Record<string, unknown>): string {
  const { hook_index: _index, portscope_tee: _tee, ...rest } = body;
  return createHash("sha1").update(nodeId).update("\0").update(stableJson(rest)).digest("hex");
}

/** JSON with keys sorted, so field order in the body does not change the fingerprint. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export class HookDedupe {
  private readonly entries = new Map<string, DedupeEntry>();
  private duplicates = 0;

  constructor(private readonly windowMs = DEFAULT_DEDUPE_WINDOW_MS) {}

  /** True when this delivery repeats one we stored but have not acknowledged within the window. */
  isDuplicate(fingerprint: string, now: number): boolean {
    const prior = this.entries.get(fingerprint);
    if (!prior || now - prior.at > this.windowMs || prior.acked) return false;
    this.duplicates++;
    return true;
  }

  /** Remember a stored delivery (not yet acknowledged). */
  remember(fingerprint: string, eventId: number | null, at: number): void {
    this.entries.set(fingerprint, { fingerprint, eventId, at, acked: false });
    if (this.entries.size > 50_000) this.sweep(at);
  }

  markAcked(fingerprint: string): void {
    const e = this.entries.get(fingerprint);
    if (e) e.acked = true;
  }

  /** After a restart nothing is known to be acknowledged: recent hooks count as possibly unanswered. */
  preload(entries: { fingerprint: string; eventId: number; at: number }[]): void {
    for (const e of entries) this.entries.set(e.fingerprint, { ...e, acked: false });
  }

  get duplicateCount(): number {
    return this.duplicates;
  }

  sweep(now: number): void {
    for (const [k, e] of this.entries) if (now - e.at > this.windowMs) this.entries.delete(k);
  }
}
