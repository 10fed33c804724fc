/**
 * The hook receiver's logic, shared by the lean ZLM-facing listener and the
 * Next route `POST /api/hooks/[hook]`. It answers ZLM only after the event is
 * durably stored: ZLM never resends a hook it got an answer for.
 */
import { DECISIVE_HOOKS, forwardHook, forwardWithRetry, type TeeOutcome, type UpstreamConfig } from "./hook-tee";
import { HookDedupe, hookFingerprint } from "./hook-dedupe";
import { validateHookBody } from "./hook-validate";
import { redactSecrets } from "../zlm/redact";

export const MAX_HOOK_BODY_BYTES = 1024 * 1024;
const HOOK_NAME = /^on_[a-z0-9_]{1,60}$/;

export interface HookRequest {
  hook: string;
  /** The token from the hook URL's query string (`?token=`). */
  token: string | null;
  remoteAddress: string | null;
  /** Raw body; `null` when it exceeded MAX_HOOK_BODY_BYTES and was not read. */
  body: string | null;
  bodyBytes: number;
}

export interface HookResponse {
  status: number;
  body: Record<string, unknown>;
  /** Call once the answer was fully written: only then do we know ZLM has it. */
  onSent?: () => void;
}

export type RejectReason = "bad_token" | "forbidden_source" | "too_large" | "malformed" | "bad_hook_name" | "store_failed";

export interface HookSink {
  /** Normalise and durably append; resolves after the commit. */
  ingestHook(input: { nodeId: string; hook: string; body: Record<string, unknown>; at: number; tee: TeeOutcome | null }): Promise<number[]>;
  recordRejection(input: { nodeId: string | null; hook: string; reason: RejectReason; status: number; detail: string; excerpt: string | null; at: number }): Promise<void>;
}

export interface HookReceiverOptions {
  token: string | null;
  allowSources: string[] | null;
  resolveNode(mediaServerId: string | null): { nodeId: string; upstream: UpstreamConfig | null };
  sink: HookSink;
  dedupe?: HookDedupe;
  now?: () => number;
  onForwardDone?: (hook: string, outcome: TeeOutcome) => void;
}

export const SUCCESS_ANSWER = { code: 0, msg: "success" } as const;

export interface HookReceiverStats {
  accepted: number;
  duplicates: number;
  rejected: Record<RejectReason, number>;
  forwarded: number;
  forwardFailures: number;
}

export function createHookReceiver(opts: HookReceiverOptions) {
  const dedupe = opts.dedupe ?? new HookDedupe();
  const now = opts.now ?? Date.now;
  const stats: HookReceiverStats = {
    accepted: 0,
    duplicates: 0,
    rejected: { bad_token: 0, forbidden_source: 0, too_large: 0, malformed: 0, bad_hook_name: 0, store_failed: 0 },
    forwarded: 0,
    forwardFailures: 0,
  };
  const allow = opts.allowSources ? new Set(opts.allowSources.map(normaliseIp)) : null;

  async function reject(req: HookRequest, reason: RejectReason, status: number, detail: string, nodeId: string | null = null): Promise<HookResponse> {
    stats.rejected[reason]++;
    const excerpt = req.body === null ? null : req.body.slice(0, 2048);
    try {
      await opts.sink.recordRejection({ nodeId, hook: req.hook.slice(0, 80), reason, status, detail, excerpt, at: now() });
    } catch {
      // The rejection is already counted; failing to store it must not turn a 4xx into a crash.
    }
    return { status, body: { code: -1, msg: detail, reason } };
  }

  function noteForward(hook: string, outcome: TeeOutcome): void {
    stats.forwarded++;
    if (!outcome.ok) stats.forwardFailures++;
    opts.onForwardDone?.(hook, outcome);
  }

  async function handle(req: HookRequest): Promise<HookResponse> {
    if (!HOOK_NAME.test(req.hook)) return reject(req, "bad_hook_name", 404, `unknown hook path: ${req.hook.slice(0, 80)}`);
    if (opts.token !== null && req.token !== opts.token) return reject(req, "bad_token", 401, "missing or wrong hook token");
    if (allow && !allow.has(normaliseIp(req.remoteAddress ?? ""))) return reject(req, "forbidden_source", 403, `source ${req.remoteAddress} is not allowed`);
    if (req.body === null || req.bodyBytes > MAX_HOOK_BODY_BYTES) return reject(req, "too_large", 413, `hook body over ${MAX_HOOK_BODY_BYTES} bytes`);

    const parsed = validateHookBody(req.hook, req.body);
    if (!parsed.ok) return reject(req, "malformed", parsed.status, parsed.message);
    const body = parsed.body;
    const mediaServerId = typeof body.mediaServerId === "string" ? body.mediaServerId : null;
    const { nodeId, upstream } = opts.resolveNode(mediaServerId);
    const at = now();

    const fingerprint = hookFingerprint(nodeId, redactSecrets(body));
    if (dedupe.isDuplicate(fingerprint, at)) {
      stats.duplicates++;
      return { status: 200, body: { ...SUCCESS_ANSWER } };
    }

    const decisive = DECISIVE_HOOKS.has(req.hook);
    const tee = upstream && decisive ? await forwardHook(upstream, req.hook, req.body, upstream.budgetMs) : null;
    if (tee) noteForward(req.hook, tee);

    let ids: number[];
    try {
      ids = await opts.sink.ingestHook({ nodeId, hook: req.hook, body, at, tee });
    } catch (err) {
      // Not stored: answer 5xx so ZLM retries rather than believing we have it.
      stats.rejected.store_failed++;
      return { status: 503, body: { code: -1, msg: `event log unavailable: ${err instanceof Error ? err.message : String(err)}` } };
    }
    dedupe.remember(fingerprint, ids[0] ?? null, at);
    stats.accepted++;

    if (upstream && !decisive) void forwardWithRetry(upstream, req.hook, req.body).then((o) => noteForward(req.hook, o));

    const answer = tee ? (tee.ok && tee.answer ? tee.answer : upstream!.fallback) : { ...SUCCESS_ANSWER };
    return { status: 200, body: answer, onSent: () => dedupe.markAcked(fingerprint) };
  }

  return {
    handle,
    /** Reading the peer address costs a syscall per hook: transports skip it when no allow-list is set. */
    needsRemoteAddress: allow !== null,
    stats: () => ({ ...stats, rejected: { ...stats.rejected } }),
    dedupe,
  };
}

export type HookReceiver = ReturnType<typeof createHookReceiver>;

function normaliseIp(ip: string): string {
  return ip.startsWith("::ffff:") ? ip.slice(7) : ip;
}
