import "server-only";
import { randomUUID } from "node:crypto";
import type { NewEvent } from "../events/types";
import type { Lifecycle } from "../lifecycle/reduce";
import type { ZlmClient } from "../zlm/client";
import { ZlmError, type ZlmErrorKind } from "../zlm/errors";
import { rtpKey } from "../zlm/rtp-key";
import { decideRetry, DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry-policy";
import { needsVerdict, type Diagnoser } from "../diagnosis/diagnoser";
import type { CloseRequest, PauseRequest, PreflightRequest, ReopenRequest, TimeoutRequest } from "./request-schema";
import { describeKey, reopenParams, type Preflight } from "./preflight";

/**
 * A reopen's outcomes say what happened to the media, never just "opened":
 * media_resumed (it was live and came back on the new server), waiting_for_media
 * (nothing was live; ZLM waits until `mediaDeadline`), media_not_resumed (it was
 * live and did not come back: not a success).
 */
export type ActionOutcomeKind = "media_resumed" | "waiting_for_media" | "media_not_resumed" | "closed" | "nothing_to_close" | "needs_confirmation" | "release_not_confirmed" | "failed" | "paused" | "resumed" | "configured";

export interface ActionResult {
  actionId: string;
  ok: boolean;
  outcome: ActionOutcomeKind;
  port?: number;
  attempts: number;
  error?: { code: number | null; msg: string | null; kind: ZlmErrorKind; message: string };
  steps: { at: number; step: string; detail: Record<string, unknown> }[];
  /** What the key was doing before the action (close, reopen). */
  preflight?: Preflight;
  /** A reopen whose media came back: how long after the open. */
  resumedAfterMs?: number;
  /** A reopen waiting for media: when ZLM will time the server out if none comes (open + timeoutSec + 3 s). */
  mediaDeadline?: number;
}

/** Who asked (the audit part of every action record): from the sign-in, never from the request body. */
export interface ActionActor {
  user: string;
  role: string;
  via: string;
  clientAddress: string | null;
  userAgent: string | null;
}

export interface ActionDeps {
  append(events: NewEvent[]): Promise<unknown>;
  lifecycle: Pick<Lifecycle, "currentSession" | "node">;
  clientFor(nodeId: string): ZlmClient | null;
  /** Gives each "already exists" an open attempt meets a verdict, as the tap's get (same evidence). */
  diagnose?: Diagnoser;
  policy?: RetryPolicy;
  releaseTimeoutMs?: number;
  releasePollMs?: number;
  /** How long a reopen waits for media that was live to come back (default 15 s: a GOP or two of a slow camera). */
  resumeWaitMs?: number;
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class UnknownNodeError extends Error {
  override name = "UnknownNodeError";
}

/** Next bundles server modules twice (instrumentation and routes): compare by name, not by class identity. */
export function isUnknownNodeError(err: unknown): err is UnknownNodeError {
  return err instanceof Error && err.name === "UnknownNodeError";
}

/**
 * Close and safe reopen. Every step becomes an event on the key's timeline
 * (source "action"), so the UI shows progress and support sees what was done.
 * Reopens of one key are serialised: a second request joins the first.
 */
export function createActions(deps: ActionDeps) {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const policy = deps.policy ?? DEFAULT_RETRY_POLICY;
  const inflight = new Map<string, Promise<ActionResult>>();

  function begin(nodeId: string, key: string | null, type: string, reason: string, request: Record<string, unknown>, actor: ActionActor | null) {
    const result: ActionResult = { actionId: randomUUID(), ok: false, outcome: "failed", attempts: 0, steps: [] };
    const emit = async (kind: NewEvent["kind"], payload: Record<string, unknown>, port: number | null = null) => {
      await deps.append([{ at: now(), nodeId, kind, key, port, source: "action", payload: { actionId: result.actionId, ...payload } }]);
    };
    const step = async (name: string, detail: Record<string, unknown> = {}, port: number | null = null) => {
      result.steps.push({ at: now(), step: name, detail });
      await emit("action.step", { action: type, step: name, ...detail }, port);
    };
    const finish = async (outcome: ActionOutcomeKind, ok: boolean) => {
      result.outcome = outcome;
      result.ok = ok;
      await emit("action.finished", { action: type, reason, actor, outcome, ok, attempts: result.attempts, error: result.error ?? null, port: result.port ?? null, resumedAfterMs: result.resumedAfterMs ?? null, mediaDeadline: result.mediaDeadline ?? null }, result.port ?? null);
      return result;
    };
    const started = emit("action.started", { action: type, reason, request, actor });
    return { result, emit, step, finish, started };
  }

  const describe = (e: unknown) => (e instanceof ZlmError ? { code: e.code, msg: e.zlmMsg, kind: e.kind, message: e.message } : { code: null, msg: null, kind: "transient" as ZlmErrorKind, message: e instanceof Error ? e.message : String(e) });

  /** Polls listRtpServer until the key is gone: the only proof that the port is free. */
  async function waitForRelease(client: ZlmClient, key: string): Promise<boolean> {
    const deadline = now() + (deps.releaseTimeoutMs ?? 15_000);
    for (;;) {
      const rows = await client.listRtpServer().catch(() => null);
      if (rows && !rows.some((r) => rtpKey({ vhost: r.vhost, app: r.app, streamId: r.stream_id }) === key)) return true;
      if (now() > deadline) return false;
      await sleep(deps.releasePollMs ?? 250);
    }
  }

  async function closeHolder(client: ZlmClient, nodeId: string, key: string, a: ReturnType<typeof begin>): Promise<"closed" | "nothing_to_close" | "release_not_confirmed"> {
    const rows = await client.listRtpServer();
    const holder = rows.find((r) => rtpKey({ vhost: r.vhost, app: r.app, streamId: r.stream_id }) === key);
    if (!holder) return "nothing_to_close";
    // The preflight may see a server before the poller does: record it, so close and release land on its session.
    if (!deps.lifecycle.currentSession(nodeId, key)) await a.emit("rtp.opened", { ...holder, discoveredBy: "preflight" }, holder.port);
    // Close by exactly what ZLM listed: a different vhost/app would miss and leave the entry.
    await a.emit("rtp.close_requested", { vhost: holder.vhost, app: holder.app, stream_id: holder.stream_id }, holder.port);
    const { hit } = await client.closeRtpServer({ stream_id: holder.stream_id, vhost: holder.vhost, app: holder.app });
    if (hit > 0) await a.emit("rtp.closed", { hit, port: holder.port }, holder.port);
    await a.step("close", { hit, port: holder.port }, holder.port);
    if (!(await waitForRelease(client, key))) return "release_not_confirmed";
    if (deps.lifecycle.currentSession(nodeId, key)) await a.emit("rtp.released", { confirmedBy: "poll", cause: "closed" }, holder.port);
    await a.step("release_confirmed", { port: holder.port }, holder.port);
    return "closed";
  }

  async function close(nodeId: string, req: CloseRequest, actor: ActionActor | null = null): Promise<ActionResult> {
    const client = deps.clientFor(nodeId);
    if (!client) throw new UnknownNodeError(`no node ${nodeId}`);
    const key = rtpKey({ vhost: req.vhost, app: req.app, streamId: req.stream_id });
    const a = begin(nodeId, key, "close", req.reason, { ...req }, actor);
    await a.started;
    try {
      const pre = await readKey(client, nodeId, key, req);
      a.result.preflight = pre;
      await a.step("preflight", { ...pre });
      const outcome = await closeHolder(client, nodeId, key, a);
      a.result.attempts = 1;
      return a.finish(outcome, outcome !== "release_not_confirmed");
    } catch (err) {
      a.result.error = describe(err);
      return a.finish("failed", false);
    }
  }

  /** What the key is doing now: listRtpServer for the holder, getMediaList for its media, the model for a pause. */
  async function readKey(client: ZlmClient, nodeId: string, key: string, req: PreflightRequest): Promise<Preflight> {
    const [rows, media] = await Promise.all([client.listRtpServer(), client.getMediaList({ vhost: req.vhost, app: req.app ?? "rtp", stream: req.stream_id }).catch(() => [])]);
    const holder = rows.find((r) => rtpKey({ vhost: r.vhost, app: r.app, streamId: r.stream_id }) === key) ?? null;
    return describeKey(holder, media, deps.lifecycle.currentSession(nodeId, key) ?? null);
  }

  async function preflight(nodeId: string, req: PreflightRequest): Promise<Preflight> {
    const client = deps.clientFor(nodeId);
    if (!client) throw new UnknownNodeError(`no node ${nodeId}`);
    return readKey(client, nodeId, rtpKey({ vhost: req.vhost, app: req.app, streamId: req.stream_id }), req);
  }

  /** After a reopen of live media: getRtpInfo until the stream is registered again, or the wait is over. */
  async function waitForMedia(client: ZlmClient, req: ReopenRequest, openedAt: number): Promise<number | null> {
    const deadline = openedAt + (deps.resumeWaitMs ?? 15_000);
    for (;;) {
      const info = await client.getRtpInfo({ stream_id: req.stream_id, vhost: req.vhost, app: req.app }).catch(() => null);
      if (info?.exist) return now() - openedAt;
      if (now() > deadline) return null;
      await sleep(deps.releasePollMs ?? 250);
    }
  }

  async function reopenNow(nodeId: string, req: ReopenRequest, actor: ActionActor | null): Promise<ActionResult> {
    const client = deps.clientFor(nodeId);
    if (!client) throw new UnknownNodeError(`no node ${nodeId}`);
    const key = rtpKey({ vhost: req.vhost, app: req.app, streamId: req.stream_id });
    const a = begin(nodeId, key, "reopen", req.reason, { ...req }, actor);
    await a.started;
    const started = now();
    try {
      const pre = await readKey(client, nodeId, key, req);
      a.result.preflight = pre;
      await a.step("preflight", { ...pre });
      if (pre.held && !req.confirmClose) return a.finish("needs_confirmation", false);
      const open = reopenParams(pre, req);
      if (pre.held) {
        const closed = await closeHolder(client, nodeId, key, a);
        if (closed === "release_not_confirmed") return a.finish("release_not_confirmed", false);
      }
      for (;;) {
        a.result.attempts++;
        try {
          const { port } = await client.openRtpServer({ port: open.port, tcp_mode: open.tcp_mode, stream_id: req.stream_id, vhost: req.vhost, app: req.app, ssrc: open.ssrc, re_use_port: open.re_use_port });
          const openedAt = now();
          a.result.port = port;
          await a.emit("rtp.opened", { port, tcp_mode: open.tcp_mode, ssrc: open.ssrc ?? 0, attempt: a.result.attempts }, port);
          await a.step("open", { attempt: a.result.attempts, port, tcp_mode: open.tcp_mode, ssrc: open.ssrc ?? 0, kept: open.kept }, port);
          if (!pre.mediaLive) {
            a.result.mediaDeadline = openedAt + ((deps.lifecycle.node(nodeId)?.timeoutSec ?? 15) + 3) * 1000;
            await a.step("waiting_for_media", { deadline: a.result.mediaDeadline }, port);
            return a.finish("waiting_for_media", true);
          }
          const after = await waitForMedia(client, req, openedAt);
          if (after === null) {
            await a.step("media_not_resumed", { waitedMs: now() - openedAt }, port);
            return a.finish("media_not_resumed", false);
          }
          a.result.resumedAfterMs = after;
          await a.step("media_resumed", { afterMs: after }, port);
          return a.finish("media_resumed", true);
        } catch (err) {
          const e = describe(err);
          a.result.error = e;
          const failedAt = now();
          const holder = deps.lifecycle.currentSession(nodeId, key) ?? null;
          const verdict = deps.diagnose && needsVerdict(e.code, e.msg) ? await deps.diagnose({ nodeId, key, at: failedAt, code: e.code, msg: e.msg, requestedPort: open.port || null, holder }) : undefined;
          await a.emit("rtp.open_failed", { code: e.code, msg: e.msg, kind: e.kind, attempt: a.result.attempts, ...(verdict ? { verdict } : {}) });
          const d = decideRetry({ policy, attempt: a.result.attempts, elapsedMs: now() - started, kind: e.kind, retryConflicts: true, random });
          await a.step("open_attempt_failed", { attempt: a.result.attempts, code: e.code, msg: e.msg, kind: e.kind, retry: d.retry, ...(d.retry ? { delayMs: d.delayMs } : { stop: d.reason }) });
          if (!d.retry) return a.finish("failed", false);
          await sleep(d.delayMs);
        }
      }
    } catch (err) {
      a.result.error = describe(err);
      return a.finish("failed", false);
    }
  }

  function reopen(nodeId: string, req: ReopenRequest, actor: ActionActor | null = null): Promise<ActionResult> {
    const slot = `${nodeId}|${rtpKey({ vhost: req.vhost, app: req.app, streamId: req.stream_id })}`;
    const running = inflight.get(slot);
    if (running) return running;
    const p = reopenNow(nodeId, req, actor).finally(() => inflight.delete(slot));
    inflight.set(slot, p);
    return p;
  }

  async function pause(nodeId: string, req: PauseRequest, resume: boolean, actor: ActionActor | null): Promise<ActionResult> {
    const client = deps.clientFor(nodeId);
    if (!client) throw new UnknownNodeError(`no node ${nodeId}`);
    const key = rtpKey({ vhost: req.vhost, app: req.app, streamId: req.stream_id });
    const a = begin(nodeId, key, resume ? "resume" : "pause", req.reason, { ...req }, actor);
    await a.started;
    a.result.attempts = 1;
    try {
      if (resume) await client.resumeRtpCheck({ stream_id: req.stream_id, vhost: req.vhost, app: req.app });
      else await client.pauseRtpCheck({ stream_id: req.stream_id, vhost: req.vhost, app: req.app, pause_seconds: req.pause_seconds });
      return a.finish(resume ? "resumed" : "paused", true);
    } catch (err) {
      // -500 here means "no live stream yet", not "no server" (reference 8.2).
      a.result.error = describe(err);
      return a.finish("failed", false);
    }
  }

  /** setServerConfig rtp_proxy.timeoutSec, read back to confirm; node-wide, so the event has no key. */
  async function setTimeoutSec(nodeId: string, req: TimeoutRequest, actor: ActionActor | null = null): Promise<ActionResult> {
    const client = deps.clientFor(nodeId);
    if (!client) throw new UnknownNodeError(`no node ${nodeId}`);
    const a = begin(nodeId, null, "set_timeout", req.reason, { ...req }, actor);
    await a.started;
    a.result.attempts = 1;
    try {
      const before = (await client.getServerConfig())["rtp_proxy.timeoutSec"] ?? null;
      const changed = await client.setServerConfig({ "rtp_proxy.timeoutSec": String(req.timeoutSec) });
      const after = (await client.getServerConfig())["rtp_proxy.timeoutSec"] ?? null;
      await a.step("set_server_config", { key: "rtp_proxy.timeoutSec", before, after, changed });
      if (after !== String(req.timeoutSec)) {
        a.result.error = { code: null, msg: null, kind: "permanent", message: `ZLM kept rtp_proxy.timeoutSec=${after}` };
        return a.finish("failed", false);
      }
      await deps.append([{ at: now(), nodeId, kind: "node.config", key: null, port: null, source: "action", payload: { timeoutSec: req.timeoutSec, actionId: a.result.actionId } }]);
      return a.finish("configured", true);
    } catch (err) {
      a.result.error = describe(err);
      return a.finish("failed", false);
    }
  }

  return { close, reopen, preflight, setTimeoutSec, pause: (n: string, r: PauseRequest, actor: ActionActor | null = null) => pause(n, r, false, actor), resume: (n: string, r: PauseRequest, actor: ActionActor | null = null) => pause(n, r, true, actor) };
}

export type Actions = ReturnType<typeof createActions>;
