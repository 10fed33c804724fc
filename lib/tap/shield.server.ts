import "server-only";
import type { NewEvent } from "../events/types";
import type { Lifecycle } from "../lifecycle/reduce";
import { isAlreadyExists } from "../zlm/errors";
import { rtpKey } from "../zlm/rtp-key";
import { redactSecrets } from "../zlm/redact";
import type { ZlmClient } from "../zlm/client";
import type { ShieldConfig } from "./race-shield";
import { runShield, type OpenAttempt, type ShieldIo, type ShieldOutcome } from "./shield-run";

/**
 * The race shield against a real node: the policy's steps done with the
 * node's own client (listRtpServer + getMediaList for the holder,
 * updateRtpServerSSRC, closeRtpServer, polling for the release), and the
 * outcome recorded as a `shield.decision` event.
 */
export interface ShieldCall {
  nodeId: string;
  params: Record<string, string>;
  caller: string | null;
  /** Sends the caller's open to ZLM again, unchanged. */
  reopen(): Promise<OpenAttempt>;
}

export interface ShieldDeps {
  client: ZlmClient | null;
  lifecycle: Pick<Lifecycle, "currentSession">;
  closeInFlight(nodeId: string, key: string): boolean;
  append(events: NewEvent[]): Promise<unknown>;
  now: () => number;
}

/** rtp_proxy.timeoutSec per node, read with getServerConfig at most once a minute. */
const timeoutCache = new WeakMap<ZlmClient, { at: number; ms: number | null }>();

export async function shieldOpen(call: ShieldCall, first: OpenAttempt, cfg: ShieldConfig, deps: ShieldDeps): Promise<ShieldOutcome> {
  const p = call.params;
  const streamId = p.stream_id ?? "";
  const where = { stream_id: streamId, vhost: p.vhost, app: p.app };
  const key = rtpKey({ vhost: p.vhost, app: p.app, streamId });
  const { client, now } = deps;
  const sameKey = (r: { vhost: string; app: string; stream_id: string }) => rtpKey({ vhost: r.vhost, app: r.app, streamId: r.stream_id }) === key;
  const listed = async () => (client ? (await client.listRtpServer()).find(sameKey) ?? null : null);
  const io: ShieldIo = {
    open: call.reopen,
    holder: async () => {
      const row = await listed();
      if (!row) return null;
      const media = await client!.getMediaList({ vhost: row.vhost, app: row.app, stream: row.stream_id }).catch(() => []);
      const session = deps.lifecycle.currentSession(call.nodeId, key);
      return { port: row.port, tcp_mode: row.tcp_mode, ssrc: row.ssrc, hasMedia: media.length > 0 || session?.state === "receiving", openedAt: session?.openedAt ?? null };
    },
    updateSsrc: async (ssrc) => {
      if (!client) return false;
      return client.updateRtpServerSSRC({ ...where, ssrc }).then(() => true, () => false);
    },
    close: async () => {
      const row = await listed();
      return row ? (await client!.closeRtpServer({ stream_id: row.stream_id, vhost: row.vhost, app: row.app })).hit > 0 : false;
    },
    waitForRelease: async () => {
      for (let i = 0; i < 60; i++) {
        if (client && !(await listed())) return true;
        await sleep(50);
      }
      return false;
    },
    closeInFlight: () => deps.closeInFlight(call.nodeId, key),
    zlmTimeoutMs: () => zlmTimeoutMs(client, now()),
    sleep,
    now,
    random: Math.random,
  };
  // ZLM reads a garbage ssrc as 0, no filter (REPORT h4): the adopted server must get what a fresh open would.
  const ssrc = /^\d{1,10}$/.test(p.ssrc ?? "") && Number(p.ssrc) < 2 ** 32 ? Number(p.ssrc) : 0;
  const request = { streamId, tcp_mode: Number(p.tcp_mode ?? 0) || 0, ssrc, port: Number(p.port ?? 0) || 0 };
  const outcome = await runShield(first, request, cfg, io);
  const final = attemptOf(outcome.status, outcome.text).code;
  const events: NewEvent[] = [
    {
      at: now(),
      nodeId: call.nodeId,
      kind: "shield.decision",
      key,
      port: null,
      source: "tap",
      payload: redactSecrets({ policy: cfg.policy, decision: outcome.decision, evidence: outcome.evidence, closed: outcome.closed, request, finalCode: final, caller: call.caller }),
    },
  ];
  if (final === 0 && outcome.text !== first.text) {
    const port = Number((JSON.parse(outcome.text) as { port?: number }).port);
    events.push({ at: now(), nodeId: call.nodeId, kind: "rtp.opened", key, port, source: "tap", payload: { port, shield: cfg.policy, tcp_mode: request.tcp_mode, ssrc: request.ssrc } });
  }
  void deps.append(events).catch((err) => console.error("portscope: shield decision not recorded", err));
  return outcome;
}

async function zlmTimeoutMs(client: ZlmClient | null, at: number): Promise<number | null> {
  if (!client) return null;
  const cached = timeoutCache.get(client);
  if (cached && at - cached.at < 60_000) return cached.ms;
  const sec = await client.getServerConfig().then((c) => Number(c["rtp_proxy.timeoutSec"]), () => NaN);
  const ms = Number.isFinite(sec) && sec > 0 ? sec * 1000 : null;
  timeoutCache.set(client, { at, ms });
  return ms;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** ZLM's answer text as the shield reads it: its code, and whether it is the "already exists" conflict. */
export function attemptOf(status: number, text: string): OpenAttempt {
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
