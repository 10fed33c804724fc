import "server-only";
import type { NewEvent } from "../events/types";
import { retryDelayMs } from "./backoff";
import { accepted, renderRequest, type NotifyFormat } from "./formats";
import type { Notification } from "./types";
import { postJson } from "./post.server";

/**
 * The outbound delivery queue. Enqueueing only stores the delivery and
 * returns: sending, waiting for a receiver and retrying happen on timers,
 * off the hook path. Each attempt's outcome is an event (notify.sent,
 * notify.failed with the next try's delay, notify.gave_up), appended without
 * being awaited by anyone who takes input from ZLM.
 */
export interface NotifyChannel {
  id: string;
  format: NotifyFormat;
  url: string;
  secret?: string;
  headers?: Record<string, string>;
}

export interface NotifierOptions {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
  maxQueued: number;
  /** Deliveries in flight at once (each waits at most timeoutMs). */
  concurrency?: number;
  record(events: NewEvent[]): Promise<unknown>;
  observe?(d: { channel: string; format: string; outcome: "sent" | "failed" | "gave_up" }): void;
  now?: () => number;
  random?: () => number;
}

interface Delivery {
  id: string;
  channel: NotifyChannel;
  notification: Notification;
  attempt: number;
}

export function createNotifier(opts: NotifierOptions) {
  const now = opts.now ?? Date.now;
  const concurrency = opts.concurrency ?? 4;
  const ready: Delivery[] = [];
  const waiting = new Set<NodeJS.Timeout>();
  let inFlight = 0;
  let queued = 0;
  let seq = 0;
  let stopped = false;

  function record(d: Delivery, kind: "notify.sent" | "notify.failed" | "notify.gave_up", extra: Record<string, unknown>): void {
    opts.observe?.({ channel: d.channel.id, format: d.channel.format, outcome: kind.slice(7) as "sent" | "failed" | "gave_up" });
    const n = d.notification;
    const payload = { deliveryId: d.id, channel: d.channel.id, format: d.channel.format, alertId: n.alertId, ruleId: n.ruleId, status: n.status, sample: n.sample, attempt: d.attempt, ...extra };
    opts.record([{ at: now(), nodeId: n.nodeId, kind, key: n.key, port: n.port, source: "system", payload }]).catch((err) => console.error("portscope: cannot record a notification outcome", err));
  }

  function pump(): void {
    while (!stopped && inFlight < concurrency && ready.length) {
      const d = ready.shift()!;
      inFlight++;
      void attempt(d).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  async function attempt(d: Delivery): Promise<void> {
    d.attempt++;
    const req = renderRequest(d.channel.format, d.notification, d.channel, now());
    const started = now();
    let failure: string;
    let httpStatus: number | null = null;
    try {
      const res = await postJson(req.url, req.headers, req.body, opts.timeoutMs);
      httpStatus = res.status;
      const verdict = accepted(d.channel.format, res.status, res.text);
      if (verdict.ok) {
        queued--;
        record(d, "notify.sent", { httpStatus, ms: now() - started });
        return;
      }
      failure = verdict.reason;
    } catch (err) {
      failure = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
    if (stopped || d.attempt >= opts.attempts) {
      queued--;
      record(d, "notify.gave_up", { httpStatus, error: failure, attempts: d.attempt });
      return;
    }
    const delay = retryDelayMs(d.attempt, opts, opts.random);
    record(d, "notify.failed", { httpStatus, error: failure, retryInMs: delay });
    const t = setTimeout(() => {
      waiting.delete(t);
      ready.push(d);
      pump();
    }, delay);
    t.unref?.();
    waiting.add(t);
  }

  return {
    /** Queue one notification for each channel; returns the delivery ids at once. */
    enqueue(notification: Notification, channels: readonly NotifyChannel[]): string[] {
      const ids: string[] = [];
      for (const channel of channels) {
        const d: Delivery = { id: `n${now().toString(36)}-${(++seq).toString(36)}`, channel, notification, attempt: 0 };
        ids.push(d.id);
        if (stopped || queued >= opts.maxQueued) {
          record(d, "notify.gave_up", { error: stopped ? "notifier stopped" : `queue full (${opts.maxQueued} deliveries waiting)`, attempts: 0 });
          continue;
        }
        queued++;
        ready.push(d);
      }
      pump();
      return ids;
    },
    /** Deliveries not yet sent or given up. */
    pending: () => queued,
    stop(): void {
      stopped = true;
      for (const t of waiting) clearTimeout(t);
      waiting.clear();
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
