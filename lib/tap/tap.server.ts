import "server-only";
import type { NewEvent, PortscopeEvent } from "../events/types";
import type { Lifecycle } from "../lifecycle/reduce";
import type { PortSession } from "../lifecycle/types";
import { classifyZlmAnswer, isAlreadyExists } from "../zlm/errors";
import { rtpKey } from "../zlm/rtp-key";
import { createDiagnoser, needsVerdict } from "../diagnosis/diagnoser";
import { redactSecrets } from "../zlm/redact";
import type { ZlmClient } from "../zlm/client";
import { DEFAULT_SHIELD, shieldOpen, type OpenAttempt, type ShieldConfig } from "./race-shield";
import { forwardToZlm, type ForwardAnswer } from "./forward.server";

/**
 * The API tap: platforms call ZLM through Portscope. Each call is forwarded
 * unchanged (method, query, body, the headers ZLM reads) and ZLM's answer is
 * returned byte for byte; the calls that shape an RTP port's life become
 * events, and every "already exists" gets a diagnosis. The secret passes
 * through to ZLM and is redacted from everything recorded.
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
}

/** What the diagnosis needs, read the moment ZLM answered; the rest of the recording runs after the answer is sent. */
interface AnswerSnapshot {
  holder: PortSession | null;
  pendingCloseAt: number | null;
  recentOpenAt: number | null;
  rtpInfoExist: boolean | null;
}

export function createTap(deps: TapDeps) {
  const now = deps.now ?? Date.now;
  const diagnose = createDiagnoser(deps);
  /** The last getRtpInfo answer per key, to tell "already exists while getRtpInfo said absent". */
  const lastRtpInfo = new Map<string, { exist: boolean; at: number }>();
  /** The last "already exists" per key: a getRtpInfo saying absent just after it is the same contradiction, the other way round. */
  const lastConflict = new Map<string, number>();
  /** Closes forwarded and not yet answered, and opens just answered with success: the two sides of a race. */
  const pendingCloses = new Map<string, number>();
  const recentOpens = new Map<string, number>();
  const openingNow = new Map<string, number>();
  const slot = (nodeId: string, key: string) => `${nodeId}|${key}`;

  async function handle(req: TapRequest): Promise<TapResponse> {
    const base = deps.nodeUrl(req.nodeId);
    if (!base) return { status: 404, headers: { "content-type": "application/json" }, body: Buffer.from(JSON.stringify({ code: -1, msg: `no node ${req.nodeId}` })) };
    const url = `${base.replace(/\/+$/, "")}${req.path ?? `/index/api/${req.endpoint}`}${req.query ? `?${req.query}` : ""}`;
    const sentAt = now();
    // Parsed once: the key steers the race bookkeeping now, the params go into the event later.
    const p = req.path === undefined && RECORDED.has(req.endpoint) ? params(req) : null;
    const reqKey = p ? keyOf(p) : null;
    const isOpen = req.endpoint === "openRtpServer" && reqKey !== null;
    const keySlot = reqKey ? slot(req.nodeId, reqKey) : "";
    if (req.endpoint === "closeRtpServer" && reqKey) pendingCloses.set(keySlot, sentAt);
    if (isOpen) openingNow.set(keySlot, (openingNow.get(keySlot) ?? 0) + 1);
    let res: ForwardAnswer;
    try {
      res = await forwardToZlm({ url, method: req.method, headers: forwardedHeaders(req), body: req.body, timeoutMs: deps.timeoutMs ?? 15_000 });
    } catch (err) {
      if (isOpen) openingNow.set(keySlot, (openingNow.get(keySlot) ?? 1) - 1);
      // The platform sees what it would have seen: no answer from ZLM (a gateway error here).
      if (p) later(() => record(req, p, null, null, sentAt, err instanceof Error ? err.message : String(err), snapshot(req, reqKey, sentAt, false)));
      return { status: 502, headers: { "content-type": "application/json" }, body: Buffer.from(JSON.stringify({ code: -1, msg: "ZLM did not answer the tapped call" })) };
    }
    const body = res.body;
    // Another open of this key still in flight when this one is answered: the two sides of a concurrent open.
    const concurrentOpen = isOpen ? (openingNow.get(keySlot) ?? 1) > 1 : false;
    if (isOpen) {
      const left = (openingNow.get(keySlot) ?? 1) - 1;
      if (left > 0) openingNow.set(keySlot, left);
      else openingNow.delete(keySlot);
    }
    if (req.endpoint === "closeRtpServer" && reqKey) setTimeout(() => pendingCloses.delete(keySlot), 1500).unref?.();
    if (isOpen && res.status === 200 && answeredSuccess(body)) {
      recentOpens.set(keySlot, now());
      if (recentOpens.size > MAX_REMEMBERED) forgetOlder(recentOpens, now() - 1500);
    }
    const headers: Record<string, string | string[]> = {};
    for (const h of PASSED_BACK) {
      const v = res.headers[h];
      if (v !== undefined) headers[h] = v;
    }
    const shield = deps.shieldFor?.(req.nodeId) ?? DEFAULT_SHIELD;
    if (isOpen && p && shield.policy !== "off") {
      const first = attemptOf(res.status, body.toString("utf8"));
      if (first.conflict) {
        const outcome = await shieldRequest(req, p, url, first, shield);
        return { status: outcome.status, headers, body: Buffer.from(outcome.text, "utf8") };
      }
    }
    // Recorded after answering: the platform waits for ZLM, not for our log or the diagnosis.
    if (p) {
      const snap = snapshot(req, reqKey, sentAt, concurrentOpen);
      later(() => record(req, p, res.status, body.toString("utf8"), sentAt, null, snap));
    }
    return { status: res.status, headers, body };
  }

  /** Runs once the answer is on its way (setImmediate comes after the listener's write). */
  function later(work: () => Promise<void>): void {
    setImmediate(() => void work().catch((err) => console.error("portscope: tap record failed", err)));
  }

  function snapshot(req: TapRequest, key: string | null, at: number, concurrentOpen: boolean): AnswerSnapshot {
    if (!key) return { holder: null, pendingCloseAt: null, recentOpenAt: null, rtpInfoExist: null };
    const s = slot(req.nodeId, key);
    const pendingCloseAt = pendingCloses.get(s) ?? null;
    const info = lastRtpInfo.get(s);
    return {
      holder: deps.lifecycle.currentSession(req.nodeId, key) ?? null,
      pendingCloseAt: pendingCloseAt !== null && pendingCloseAt <= at ? pendingCloseAt : null,
      recentOpenAt: recentOpens.get(s) ?? (concurrentOpen ? at : null),
      rtpInfoExist: info && at - info.at < 10_000 ? info.exist : null,
    };
  }

  function attemptOf(status: number, text: string): OpenAttempt {
    let code: number | null = null;
    let msg: string | null = null;
    try {
      const j = JSON.parse(text) as { code?: unknown; msg?: unknown };
      code = typeof j.code === "number" ? j.code : null;
      msg = typeof j.msg === "string" ? j.msg : null;
    } catch {
      code = null;
    }
    return { status, text, code, conflict: isAlreadyExists(code, msg) };
  }

  async function shieldRequest(req: TapRequest, p: Record<string, string>, url: string, first: OpenAttempt, cfg: ShieldConfig) {
    const streamId = p.stream_id ?? "";
    const key = rtpKey({ vhost: p.vhost, app: p.app, streamId });
    const client = deps.clientFor?.(req.nodeId) ?? null;
    const sameKey = (r: { vhost: string; app: string; stream_id: string }) => rtpKey({ vhost: r.vhost, app: r.app, streamId: r.stream_id }) === key;
    const decisionAt = now();
    // The first conflicting answer is recorded as it happened, with its diagnosis.
    const snap = snapshot(req, key, decisionAt, false);
    later(() => record(req, p, first.status, first.text, decisionAt, null, snap));
    const outcome = await shieldOpen(first, { tcp_mode: Number(p.tcp_mode ?? 0), ssrc: Number(p.ssrc ?? 0) }, cfg, {
      open: async () => {
        const r = await forwardToZlm({ url, method: req.method, headers: forwardedHeaders(req), body: req.body, timeoutMs: deps.timeoutMs ?? 15_000 });
        return attemptOf(r.status, r.body.toString("utf8"));
      },
      holder: async () => {
        if (!client) return null;
        const row = (await client.listRtpServer()).find(sameKey);
        if (!row) return null;
        const media = await client.getMediaList({ vhost: row.vhost, app: row.app, stream: row.stream_id }).catch(() => []);
        const session = deps.lifecycle.currentSession(req.nodeId, key);
        return { port: row.port, tcp_mode: row.tcp_mode, ssrc: row.ssrc, hasMedia: media.length > 0 || session?.state === "receiving", openedAt: session?.openedAt ?? null };
      },
      close: async () => {
        if (!client) return false;
        const row = (await client.listRtpServer()).find(sameKey);
        return row ? (await client.closeRtpServer({ stream_id: row.stream_id, vhost: row.vhost, app: row.app })).hit > 0 : false;
      },
      waitForRelease: async () => {
        for (let i = 0; i < 60; i++) {
          if (client && !(await client.listRtpServer()).some(sameKey)) return true;
          await new Promise((r) => setTimeout(r, 50));
        }
        return false;
      },
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      now,
      random: Math.random,
    });
    const final = attemptOf(outcome.status, outcome.text);
    const events: NewEvent[] = [{ at: now(), nodeId: req.nodeId, kind: "shield.decision", key, port: null, source: "tap", payload: redactSecrets({ policy: cfg.policy, decision: outcome.decision, evidence: outcome.evidence, finalCode: final.code, caller: req.caller }) }];
    if (final.code === 0 && outcome.text !== first.text) {
      const port = Number((JSON.parse(outcome.text) as { port?: number }).port);
      events.push({ at: now(), nodeId: req.nodeId, kind: "rtp.opened", key, port, source: "tap", payload: { port, shield: cfg.policy, tcp_mode: Number(p.tcp_mode ?? 0) } });
    }
    void deps.append(events).catch(() => undefined);
    return outcome;
  }

  async function record(req: TapRequest, p: Record<string, string>, status: number | null, text: string | null, at: number, networkError: string | null, snap: AnswerSnapshot): Promise<void> {
    let answer: Record<string, unknown> | null = null;
    try {
      answer = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    } catch {
      answer = null;
    }
    const code = typeof answer?.code === "number" ? answer.code : null;
    const msg = typeof answer?.msg === "string" ? answer.msg : null;
    const key = keyOf(p);
    // A node's whole server list per call would bloat the log and every browser's stream; the poller records its rows.
    const kept = req.endpoint === "listRtpServer" && Array.isArray(answer?.data) ? { code, servers: (answer.data as unknown[]).length } : answer;
    const payload = redactSecrets({ endpoint: req.endpoint, caller: req.caller, params: p, status, answer: kept, networkError });
    const ev = (kind: NewEvent["kind"], port: number | null, extra: Record<string, unknown> = {}): NewEvent => ({ at, nodeId: req.nodeId, kind, key, port, source: "tap", payload: { ...payload, ...extra } });

    if ((req.endpoint === "openRtpServer" || req.endpoint === "openRtpServerMultiplex") && key) {
      if (code === 0) {
        await deps.append([ev("rtp.opened", Number(answer?.port), { port: answer?.port, tcp_mode: Number(p.tcp_mode ?? 0), ssrc: Number(p.ssrc ?? 0) })]);
        return;
      }
      const kind = classifyZlmAnswer({ code, msg, httpStatus: status, networkError });
      const extra: Record<string, unknown> = { code, msg, kind, rtpInfoExist: snap.rtpInfoExist };
      if (kind === "conflict") {
        lastConflict.set(slot(req.nodeId, key), at);
        if (lastConflict.size > MAX_REMEMBERED) forgetOlder(lastConflict, at - 10_000);
      }
      if (needsVerdict(code, msg)) {
        extra.verdict = await diagnose({ nodeId: req.nodeId, key, at, code, msg, requestedPort: Number(p.port) || null, holder: snap.holder, pendingCloseAt: snap.pendingCloseAt, recentOpenAt: snap.recentOpenAt });
      }
      await deps.append([ev("rtp.open_failed", null, extra)]);
      return;
    }
    if (req.endpoint === "closeRtpServer" && key) {
      const hit = Number(answer?.hit ?? 0);
      const port = snap.holder?.port ?? null;
      await deps.append([ev("rtp.close_requested", port), ...(code === 0 && hit > 0 ? [ev("rtp.closed", port, { hit })] : [])]);
      return;
    }
    let conflictBeforeAt: number | null = null;
    if (req.endpoint === "getRtpInfo" && key && code === 0) {
      lastRtpInfo.set(slot(req.nodeId, key), { exist: answer?.exist === true, at });
      if (lastRtpInfo.size > MAX_REMEMBERED) for (const [k, v] of lastRtpInfo) if (at - v.at > 10_000) lastRtpInfo.delete(k);
      const conflictAt = lastConflict.get(slot(req.nodeId, key));
      if (answer?.exist === false && conflictAt !== undefined && at - conflictAt < 10_000) conflictBeforeAt = conflictAt;
    }
    await deps.append([ev("tap.call", null, conflictBeforeAt === null ? { code } : { code, conflictBeforeAt })]);
  }

  return { handle };
}

/** Per-key race bookkeeping is only read within seconds; past this many keys, older entries go. */
const MAX_REMEMBERED = 10_000;

function forgetOlder(m: Map<string, number>, before: number): void {
  for (const [k, at] of m) if (at < before) m.delete(k);
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
