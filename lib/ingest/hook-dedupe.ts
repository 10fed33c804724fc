import crypto from "node:crypto";

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
  return sha1Hex(`${nodeId}\0${stableJson(rest)}`);
}

// One-shot hashing (Node >= 20.12) skips the Hash object a createHash chain builds for every hook.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: "hex") => string }).hash;
const sha1Hex = oneShot ? (text: string) => oneShot("sha1", text, "hex") : (text: string) => crypto.createHash("sha1").update(text).digest("hex");

/**
 * JSON with keys sorted, so field order in the body does not change the fingerprint.
 * Native JSON.stringify with a replacer: ZLM already sends sorted keys, so objects pass
 * through uncopied (the hand-written recursion cost as much as the rest of a hook).
 */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, sortKeys) ?? "null";
}

function sortKeys(_key: string, value: unknown): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) sorted = keys[i - 1] < keys[i];
  if (sorted) return value;
  const out: Record<string, unknown> = {};
  for (const k of keys.sort()) out[k] = (value as Record<string, unknown>)[k];
  return out;
}

/** Past this many remembered deliveries the oldest go first: the memory stays bounded in a flood. */
export const MAX_DEDUPE_ENTRIES = 200_000;

export class HookDedupe {
  private readonly entries = new Map<string, DedupeEntry>();
  private duplicates = 0;
  private lastSweep = 0;

  constructor(
    private readonly windowMs = DEFAULT_DEDUPE_WINDOW_MS,
    private readonly maxEntries = MAX_DEDUPE_ENTRIES,
  ) {}

  /** True when this delivery repeats one we stored but have not acknowledged within the window. */
  isDuplicate(fingerprint: string, now: number): boolean {
    const prior = this.entries.get(fingerprint);
    if (!prior || now - prior.at > this.windowMs || prior.acked) return false;
    this.duplicates++;
    return true;
  }

  /** Remember a stored delivery (not yet acknowledged). */
  remember(fingerprint: string, eventId: number | null, at: number): void {
    // Re-inserted, so the Map's order stays oldest first.
    this.entries.delete(fingerprint);
    this.entries.set(fingerprint, { fingerprint, eventId, at, acked: false });
    // At most one sweep a second: at thousands of hooks a second the window alone holds more than
    // 50,000 entries, and a sweep on every hook scanned them all each time.
    if (this.entries.size > 50_000 && at - this.lastSweep >= 1000) {
      this.lastSweep = at;
      this.sweep(at);
    }
    if (this.entries.size > this.maxEntries) for (const k of this.entries.keys()) if (this.entries.delete(k) && this.entries.size <= this.maxEntries) break;
  }

  get size(): number {
    return this.entries.size;
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
    // Oldest first: stop at the first entry still inside the window.
    for (const [k, e] of this.entries) {
      if (now - e.at <= this.windowMs) break;
      this.entries.delete(k);
    }
  }
}
