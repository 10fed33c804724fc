import "server-only";
import type { NewEvent, PortscopeEvent } from "../events/types";
import type { Lifecycle } from "../lifecycle/reduce";
import { rtpKey } from "../zlm/rtp-key";
import type { ZlmClient } from "../zlm/client";
import { DEFAULT_SHIELD, type ShieldConfig } from "./race-shield";
import { forwardToZlm, type ForwardAnswer } from "./forward.server";
import { createTapRecorder, type RecordedCall } from "./recording.server";
import { attemptOf, shieldOpen } from "./shield.server";

/**
 * The API tap: platforms call ZLM through Portscope. Each call is forwarded
 * unchanged (method, query, body, the headers ZLM reads) and ZLM's answer is
 * returned byte for byte; the calls that shape an RTP port's life become
 * events (recording.server.ts), and a conflicting open meets the node's race
 * shield (shield.server.ts). The secret passes through to ZLM and is
 * redacted from everything recorded.
 */
export interface TapRequest {
  nodeId: string;
  /** The ZLM API name (`/index/api/<endpoint>`); only API calls are recorded. */
  endpoint: string;
  /** Any other path on ZLM (the per-node listener forwards its whole namespace); overrides `endpoint`'s path. */
  path?: string;
  method: string;
  query: string;
  contentType: string | null;
  body: Buffer | null;
  caller: string | null;
  /** Other request headers ZLM reads: its login cookie, and `secret` (ZLM takes parameters from headers too). */
  headers?: Record<string, string>;
}

export interface TapResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

const RECORDED = new Set(["openRtpServer", "openRtpServerMultiplex", "closeRtpServer", "getRtpInfo", "listRtpServer", "updateRtpServerSSRC", "pauseRtpCheck", "resumeRtpCheck", "connectRtpServer", "close_streams"]);
const PASSED_BACK = ["content-type", "set-cookie", "connection", "server", "access-control-allow-origin", "access-control-allow-credentials"];

export interface TapDeps {
  nodeUrl(nodeId: string): string | null;
  append(events: NewEvent[]): Promise<PortscopeEvent[]>;
  lifecycle: Pick<Lifecycle, "currentSession" | "node">;
  recentForStream(nodeId: string, streamId: string, since: number): Promise<PortscopeEvent[]>;
  buildTime(nodeId: string): string | null;
  commitHash?(nodeId: string): string | null;
  /** The node's race shield (off unless configured), and a client with the node's own secret for its checks. */
  shieldFor?(nodeId: string): ShieldConfig;
  clientFor?(nodeId: string): ZlmClient | null;
  now?: () => number;
  timeoutMs?: number;
  /** Told each tapped call's time in Portscope and in ZLM (/metrics' tap calls and added latency). */
  observe?(call: { nodeId: string; endpoint: string; totalMs: number; upstreamMs: number }): void;
}

export function createTap(deps: TapDeps) {
  const now = deps.now ?? Date.now;
  const recorder = createTapRecorder(deps);

  async function handle(req: TapRequest): Promise<TapResponse> {
    if (!deps.observe) return handleCall(req, null);
    const timing = { upstreamMs: 0 };
    const started = performance.now();
    const answer = await handleCall(req, timing);
    deps.observe({ nodeId: req.nodeId, endpoint: req.path === undefined ? req.endpoint : "(path)", totalMs: performance.now() - started, upstreamMs: timing.upstreamMs });
    return answer;
  }

  async function handleCall(req: TapRequest, timing: { upstreamMs: number } | null): Promise<TapResponse> {
    const base = deps.nodeUrl(req.nodeId);
    if (!base) return { status: 404, headers: { "content-type": "application/json" }, body: Buffer.from(JSON.stringify({ code: -1, msg: `no node ${req.nodeId}` })) };
    const url = `${base.replace(/\/+$/, "")}${req.path ?? `/index/api/${req.endpoint}`}${req.query ? `?${req.query}` : ""}`;
    const sentAt = now();
    // Parsed once: the key steers the race bookkeeping now, the params go into the event later.
    const p = req.path === undefined && RECORDED.has(req.endpoint) ? params(req) : null;
    const call: RecordedCall | null = p ? { nodeId: req.nodeId, endpoint: req.endpoint, caller: req.caller, params: p, key: keyOf(p) } : null;
    const raceKey = call?.key ?? null;
    recorder.sent(req.nodeId, req.endpoint, raceKey, sentAt);
    const forwardOnce = () => forwardToZlm({ url, method: req.method, headers: forwardedHeaders(req), body: req.body, timeoutMs: deps.timeoutMs ?? 15_000 });
    const forward = timing ? () => timed(forwardOnce, timing) : forwardOnce;
    let res: ForwardAnswer;
    try {
      res = await forward();
    } catch (err) {
      recorder.answered(req.nodeId, req.endpoint, raceKey, false, now());
      // The platform sees what it would have seen: no answer from ZLM (a gateway error here).
      if (call) {
        const snap = recorder.snapshot(req.nodeId, raceKey, sentAt, false);
        later(() => recorder.record(call, null, null, sentAt, err instanceof Error ? err.message : String(err), snap));
      }
      return { status: 502, headers: { "content-type": "application/json" }, body: Buffer.from(JSON.stringify({ code: -1, msg: "ZLM did not answer the tapped call" })) };
    }
    const body = res.body;
    // Another open of this key still in flight when this one is answered: the two sides of a concurrent open.
    const concurrentOpen = recorder.answered(req.nodeId, req.endpoint, raceKey, res.status === 200 && answeredSuccess(body), now());
    const headers: Record<string, string | string[]> = {};
    for (const h of PASSED_BACK) {
      const v = res.headers[h];
      if (v !== undefined) headers[h] = v;
    }
    const shield = deps.shieldFor?.(req.nodeId) ?? DEFAULT_SHIELD;
    if (call && req.endpoint === "openRtpServer" && raceKey && shield.policy !== "off") {
      const first = attemptOf(res.status, body.toString("utf8"));
      if (first.conflict) {
        // The first conflicting answer is recorded as it happened, with its diagnosis.
        const decisionAt = now();
        const snap = recorder.snapshot(req.nodeId, raceKey, decisionAt, concurrentOpen);
        later(() => recorder.record(call, first.status, first.text, decisionAt, null, snap));
        const reopen = async () => {
          const r = await forward();
          return attemptOf(r.status, r.body.toString("utf8"));
        };
        const outcome = await shieldOpen({ nodeId: req.nodeId, params: call.params, caller: req.caller, reopen }, first, shield, {
          client: deps.clientFor?.(req.nodeId) ?? null,
          lifecycle: deps.lifecycle,
          closeInFlight: recorder.closeInFlight,
          append: deps.append,
          now,
        });
        return { status: outcome.status, headers, body: Buffer.from(outcome.text, "utf8") };
      }
    }
    // Recorded after answering: the platform waits for ZLM, not for our log or the diagnosis.
    if (call) {
      const snap = recorder.snapshot(req.nodeId, raceKey, sentAt, concurrentOpen);
      later(() => recorder.record(call, res.status, body.toString("utf8"), sentAt, null, snap));
    }
    return { status: res.status, headers, body };
  }

  /** Runs once the answer is on its way (setImmediate comes after the listener's write). */
  function later(work: () => Promise<void>): void {
    setImmediate(() => void work().catch((err) => console.error("portscope: tap record failed", err)));
  }

  return { handle };
}

/** Adds the time spent waiting for ZLM (every attempt, the race shield's too) to `timing`. */
async function timed<T>(work: () => Promise<T>, timing: { upstreamMs: number }): Promise<T> {
  const t0 = performance.now();
  try {
    return await work();
  } finally {
    timing.upstreamMs += performance.now() - t0;
  }
}

/** `"code" : 0` in ZLM's layout, without parsing the whole answer on the hot path. */
function answeredSuccess(body: Buffer): boolean {
  return /"code"\s*:\s*0\s*[,}\n]/.test(body.subarray(0, 64).toString("utf8"));
}

function forwardedHeaders(req: TapRequest): Record<string, string> {
  const out: Record<string, string> = { ...req.headers };
  if (req.contentType) out["content-type"] = req.contentType;
  return out;
}

function keyOf(p: Record<string, string>): string | null {
  const streamId = p.stream_id ?? p.stream ?? null;
  return streamId ? rtpKey({ vhost: p.vhost, app: p.app, streamId }) : null;
}

/** Query and body parameters as ZLM merges them (names case-insensitive), without the secret. */
function params(req: TapRequest): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (k: string, v: unknown) => (out[k.toLowerCase()] = String(v));
  if (req.body && req.body.length) {
    const text = req.body.toString("utf8");
    if ((req.contentType ?? "").includes("json")) {
      try {
        for (const [k, v] of Object.entries(JSON.parse(text) as Record<string, unknown>)) add(k, v);
      } catch {
        // ZLM answers the bad body itself; nothing to read here
      }
    } else if ((req.contentType ?? "").includes("x-www-form-urlencoded")) {
      for (const [k, v] of new URLSearchParams(text)) add(k, v);
    }
  }
  // The URL query wins over the body, as in ZLM (reference 1.1).
  for (const [k, v] of new URLSearchParams(req.query)) add(k, v);
  delete out.secret;
  return out;
}

export type Tap = ReturnType<typeof createTap>;
