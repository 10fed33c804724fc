import type { EventStore } from "./types";

/**
 * Deletes events older than the retention period on a timer. The store
 * prunes in chunks, so a run never blocks hook ingestion for long.
 */
export function startRetention(store: Pick<EventStore, "prune">, opts: { retentionMs?: number; everyMs?: number; now?: () => number; onPruned?: (count: number) => void } = {}): () => void {
  const retentionMs = opts.retentionMs ?? 7 * 86_400_000;
  const now = opts.now ?? Date.now;
  const run = async () => {
    try {
      const n = await store.prune(now() - retentionMs);
      if (n > 0) opts.onPruned?.(n);
    } catch (err) {
      console.error("portscope: pruning failed", err);
    }
  };
  const first = setTimeout(run, 5000);
  const timer = setInterval(run, opts.everyMs ?? 10 * 60_000);
  first.unref?.();
  timer.unref?.();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
