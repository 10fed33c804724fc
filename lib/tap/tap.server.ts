import "server-only";
import type { NewEvent, PortscopeEvent } from "../events/types";
import type { Lifecycle } from "../lifecycle/reduce";
import { classifyZlmAnswer, isAlreadyExists } from "../zlm/errors";
import { rtpKey } from "../zlm/rtp-key";
import { diagnoseAlreadyExists } from "../diagnosis/already-exists";
import { redactSecrets } from "../ingest/redact-payload";
import type { ZlmClient } from "../zlm/client";
import { DEFAULT_SHIELD, shieldOpen, type OpenAttempt, type ShieldConfig } from "./race-shield";

/**
 * The API tap: platforms call ZLM through Portscope. Each call is forwarded
 * unchanged (method, query, body, content type) and ZLM's answer is returned
 * byte for byte; the calls that shape an RTP port's life become events, and
 * every "already exists" gets a diagnosis. The secret passes through to ZLM
 * and is redacted from everything recorded.
 */
export interface TapRequest {
  nodeId: string;
  endpoint: string;
  method: string;
  query: string;
  contentType: string | null;
  body: Buffer | null;
  caller: string | null;
}

export interface TapResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const RECORDED = new Set(["openRtpServer", "openRtpServerMultiplex", "closeRtpServer", "getRtpInfo", "listRtpServer", "updateRtpServerSSRC", "pauseRtpCheck", "resumeRtpCheck", "connectRtpServer", "close_streams"]);

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

export function createTap(deps: TapDeps) {
  const now = deps.now ?? Date.now;
  /** The last getRtpInfo answer per key, to tell "already exists while getRtpInfo said absent". */
  const lastRtpInfo = new Map<string, { exist: boolean; at: number }>();
  /** Closes forwarded and not yet answered, and opens just answered with success: the two sides of a race. */
  const pendingCloses = new Map<string, number>();
  const recentOpens = new Map<string, number>();
  const openingNow = new Map<string, number>();
  const slot = (nodeId: string, key: string) => `${nodeId}|${key}`;

  async function handle(req: TapRequest): Promise<TapResponse> {
    const base = deps.nodeUrl(req.nodeId);
    if (!base) return { status: 404, headers: { "content-type": "application/json" }, body: Buffer.from(JSON.stringify({ code: -1, msg: `no node ${req.nodeId}` })) };
    const url = `${base.replace(/\/+$/, "")}/index/api/${req.endpoint}${req.query ? `?${req.query}` : ""}`;
    const sentAt = now();
    const reqKey = RECORDED.has(req.endpoint) ? keyOf(params(req)) : null;
    if (req.endpoint === "closeRtpServer" && reqKey) pendingCloses.set(slot(req.nodeId, reqKey), sentAt);
    if (req.endpoint === "openRtpServer" && reqKey) openingNow.set(slot(req.nodeId, reqKey), (openingNow.get(slot(req.nodeId, reqKey)) ?? 0) + 1);
    let res: Response;
    try {
      res = await fetch(url, {
        method: req.method,
        headers: req.contentType ? { "content-type": req.contentType } : {},
        body: req.method === "GET" || req.method === "HEAD" || !req.body ? undefined : new Uint8Array(req.body),
        signal: AbortSignal.timeout(deps.timeoutMs ?? 15_000),
        redirect: "manual",
      });
    } catch (err) {
      // The platform sees what it would have seen: no answer from ZLM (a gateway error here).
      await record(req, null, null, sentAt, err instanceof Error ? err.message : String(err)).catch(() => undefined);
      return { status: 502, headers: { "content-type": "application/json" }, body: Buffer.from(JSON.stringify({ code: -1, msg: "ZLM did not answer the tapped call" })) };
    }
    let body = Buffer.from(await res.arrayBuffer());
    // Another open of this key still in flight when this one is answered: the two sides of a concurrent open.
    const concurrentOpen = req.endpoint === "openRtpServer" && reqKey ? (openingNow.get(slot(req.nodeId, reqKey)) ?? 1) > 1 : false;
    if (req.endpoint === "openRtpServer" && reqKey) openingNow.set(slot(req.nodeId, reqKey), (openingNow.get(slot(req.nodeId, reqKey)) ?? 1) - 1);
    if (req.endpoint === "closeRtpServer" && reqKey) setTimeout(() => pendingCloses.delete(slot(req.nodeId, reqKey)), 1500).unref?.();
    if (req.endpoint === "openRtpServer" && reqKey && res.status === 200 && /"code" : 0/.test(body.toString("utf8"))) recentOpens.set(slot(req.nodeId, reqKey), now());
    const headers: Record<string, string> = {};
    for (const h of ["content-type", "set-cookie", "connection"]) {
      const v = res.headers.get(h);
      if (v) headers[h] = v;
    }
    const shield = deps.shieldFor?.(req.nodeId) ?? DEFAULT_SHIELD;
    if (req.endpoint === "openRtpServer" && shield.policy !== "off") {
      const first = attemptOf(res.status, body.toString("utf8"));
      if (first.conflict) {
        const outcome = await shieldRequest(req, url, first, shield);
        body = Buffer.from(outcome.text, "utf8");
        return { status: outcome.status, headers, body };
      }
    }
    // Recorded after answering: the platform waits for ZLM, not for our log. The model is read
    // synchronously at the start of record(), so the diagnosis sees the state at answer time.
    if (RECORDED.has(req.endpoint)) void record(req, res.status, body.toString("utf8"), sentAt, null, concurrentOpen).catch((err) => console.error("portscope: tap record failed", err));
    return { status: res.status, headers, body };
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

  async function shieldRequest(req: TapRequest, url: string, first: OpenAttempt, cfg: ShieldConfig) {
    const p = params(req);
    const streamId = p.stream_id ?? "";
    const key = rtpKey({ vhost: p.vhost, app: p.app, streamId });
    const client = deps.clientFor?.(req.nodeId) ?? null;
    const sameKey = (r: { vhost: string; app: string; stream_id: string }) => rtpKey({ vhost: r.vhost, app: r.app, streamId: r.stream_id }) === key;
    const decisionAt = now();
    // The first conflicting answer is recorded as it happened, with its diagnosis.
    void record(req, first.status, first.text, decisionAt, null).catch(() => undefined);
    const outcome = await shieldOpen(first, { tcp_mode: Number(p.tcp_mode ?? 0), ssrc: Number(p.ssrc ?? 0) }, cfg, {
      open: async () => {
        const r = await fetch(url, { method: req.method, headers: req.contentType ? { "content-type": req.contentType } : {}, body: req.method === "GET" || !req.body ? undefined : new Uint8Array(req.body) });
        return attemptOf(r.status, await r.text());
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

  function keyOf(p: Record<string, string>): string | null {
    const streamId = p.stream_id ?? p.stream ?? null;
    return streamId ? rtpKey({ vhost: p.vhost, app: p.app, streamId }) : null;
  }

  function params(req: TapRequest): Record<string, string> {
    const out: Record<string, string> = {};
    const add = (k: string, v: unknown) => (out[k.toLowerCase()] = String(v));
    for (const [k, v] of new URLSearchParams(req.query)) add(k, v);
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
    delete out.secret;
    return out;
  }

  async function record(req: TapRequest, status: number | null, text: string | null, at: number, networkError: string | null, concurrentOpen = false): Promise<void> {
    const p = params(req);
    let answer: Record<string, unknown> | null = null;
    try {
      answer = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    } catch {
      answer = null;
    }
    const code = typeof answer?.code === "number" ? answer.code : null;
    const msg = typeof answer?.msg === "string" ? answer.msg : null;
    const streamId = p.stream_id ?? p.stream ?? null;
    const key = streamId ? rtpKey({ vhost: p.vhost, app: p.app, streamId }) : null;
    const payload = redactSecrets({ endpoint: req.endpoint, caller: req.caller, params: p, status, answer, networkError });
    const ev = (kind: NewEvent["kind"], port: number | null, extra: Record<string, unknown> = {}): NewEvent => ({ at, nodeId: req.nodeId, kind, key, port, source: "tap", payload: { ...payload, ...extra } });

    if ((req.endpoint === "openRtpServer" || req.endpoint === "openRtpServerMultiplex") && key) {
      if (code === 0) {
        await deps.append([ev("rtp.opened", Number(answer?.port), { port: answer?.port, tcp_mode: Number(p.tcp_mode ?? 0), ssrc: Number(p.ssrc ?? 0) })]);
        return;
      }
      const kind = classifyZlmAnswer({ code, msg, httpStatus: status, networkError });
      const info = lastRtpInfo.get(key);
      const rtpInfoExist = info && at - info.at < 10_000 ? info.exist : null;
      const extra: Record<string, unknown> = { code, msg, kind, rtpInfoExist };
      if (isAlreadyExists(code, msg) || (code === -400 && /address already in use/i.test(msg ?? ""))) {
        const recent = streamId ? await deps.recentForStream(req.nodeId, streamId, at - 60_000) : [];
        const pendingCloseAt = pendingCloses.get(slot(req.nodeId, key)) ?? null;
        const recentOpenAt = recentOpens.get(slot(req.nodeId, key)) ?? (concurrentOpen ? at : null);
        extra.verdict = diagnoseAlreadyExists({ key, at, code, msg, requestedPort: Number(p.port) || null, holder: deps.lifecycle.currentSession(req.nodeId, key) ?? null, recent, timeoutSec: deps.lifecycle.node(req.nodeId)?.timeoutSec ?? 15, buildTime: deps.buildTime(req.nodeId), commitHash: deps.commitHash?.(req.nodeId) ?? null, pendingCloseAt: pendingCloseAt !== null && pendingCloseAt <= at ? pendingCloseAt : null, recentOpenAt });
      }
      await deps.append([ev("rtp.open_failed", null, extra)]);
      return;
    }
    if (req.endpoint === "closeRtpServer" && key) {
      const hit = Number(answer?.hit ?? 0);
      const live = deps.lifecycle.currentSession(req.nodeId, key);
      await deps.append([ev("rtp.close_requested", live?.port ?? null), ...(code === 0 && hit > 0 ? [ev("rtp.closed", live?.port ?? null, { hit })] : [])]);
      return;
    }
    if (req.endpoint === "getRtpInfo" && key && code === 0) lastRtpInfo.set(key, { exist: answer?.exist === true, at });
    await deps.append([ev("tap.call", null, { code })]);
  }

  return { handle };
}

export type Tap = ReturnType<typeof createTap>;
