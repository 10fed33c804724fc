import "server-only";
import type { z } from "zod";
import { classifyZlmAnswer, ZlmError } from "./errors";
import { redactSecretInUrl, redactSecretValue, scrubbedCause } from "./redact";
import {
  answerSchemas,
  envelopeSchema,
  type KnownEndpoint,
  type MediaSourceRow,
  type RtpInfo,
  type RtpServerRow,
} from "./schemas";

export interface ZlmNodeConfig {
  id: string;
  url: string;
  secret: string;
  label?: string;
  /** Per-call timeout; a hung ZLM must not hang a poll cycle. */
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

export type Params = Record<string, string | number | boolean | undefined | null>;

export interface RawAnswer {
  httpStatus: number;
  text: string;
  json: unknown;
  ms: number;
}

interface KeyParams {
  stream_id: string;
  vhost?: string;
  app?: string;
}

export interface OpenRtpServerParams extends KeyParams {
  port: number;
  tcp_mode: 0 | 1 | 2;
  re_use_port?: boolean;
  ssrc?: number;
  only_track?: 0 | 1 | 2;
  local_ip?: string;
}

/**
 * One function per ZLM endpoint Portscope uses. Every failure — a non-zero
 * `code`, an HTTP error, a timeout, a refused connection, an answer that does
 * not match its schema — is thrown as a ZlmError with node, endpoint, code,
 * msg and a conflict/transient/permanent kind. The secret never appears in
 * an error.
 */
export function createZlmClient(node: ZlmNodeConfig) {
  const base = node.url.replace(/\/+$/, "");
  const timeoutMs = node.timeoutMs ?? 5000;
  const doFetch = node.fetchImpl ?? fetch;
  const scrub = (s: string) => redactSecretValue(redactSecretInUrl(s), node.secret);

  async function callRaw(endpoint: string, params: Params = {}): Promise<RawAnswer> {
    const qs = new URLSearchParams({ secret: node.secret });
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) qs.set(k, typeof v === "boolean" ? (v ? "1" : "0") : String(v));
    const started = performance.now();
    let res: Response;
    let text: string;
    try {
      res = await doFetch(`${base}/index/api/${endpoint}?${qs}`, { signal: AbortSignal.timeout(timeoutMs), cache: "no-store" });
      text = await res.text();
    } catch (err) {
      const reason = networkReason(err, timeoutMs);
      throw new ZlmError({ nodeId: node.id, endpoint, code: null, zlmMsg: null, httpStatus: null, kind: classifyZlmAnswer({ code: null, msg: null, httpStatus: null, networkError: reason }), message: scrub(`${endpoint} on ${node.id}: ${reason}`), cause: scrubbedCause(err, scrub) });
    }
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { httpStatus: res.status, text, json, ms: performance.now() - started };
  }

  async function call<E extends KnownEndpoint>(endpoint: E, params: Params = {}): Promise<z.infer<(typeof answerSchemas)[E]>> {
    const raw = await callRaw(endpoint, params);
    const fail = (code: number | null, msg: string | null, why: string) =>
      new ZlmError({ nodeId: node.id, endpoint, code, zlmMsg: msg === null ? null : scrub(msg), httpStatus: raw.httpStatus, kind: classifyZlmAnswer({ code, msg, httpStatus: raw.httpStatus }), message: scrub(`${endpoint} on ${node.id}: ${why}`) });
    if (raw.httpStatus !== 200) throw fail(null, null, `HTTP ${raw.httpStatus}`);
    const envelope = envelopeSchema.safeParse(raw.json);
    if (!envelope.success) throw fail(null, null, `answer is not ZLM JSON: ${raw.text.slice(0, 120)}`);
    const { code, msg } = envelope.data;
    if (code !== 0) throw fail(code, msg ?? null, `code ${code}${msg ? ` "${msg}"` : ""}`);
    const parsed = answerSchemas[endpoint].safeParse(raw.json);
    if (!parsed.success) throw fail(code, msg ?? null, `unexpected answer shape: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    return parsed.data as z.infer<(typeof answerSchemas)[E]>;
  }

  return {
    nodeId: node.id,
    label: node.label ?? node.id,
    /** The node's API base, for messages (the secret travels in each call's query, never here). */
    url: redactSecretInUrl(base),
    callRaw,
    version: async () => (await call("version")).data,
    getApiList: async () => (await call("getApiList")).data,
    getServerConfig: async (): Promise<Record<string, string>> => (await call("getServerConfig")).data[0],
    setServerConfig: async (values: Record<string, string>) => (await call("setServerConfig", values)).changed ?? 0,
    getStatistic: async () => (await call("getStatistic")).data,
    getThreadsLoad: async () => (await call("getThreadsLoad")).data ?? [],
    getWorkThreadsLoad: async () => (await call("getWorkThreadsLoad")).data ?? [],
    getMediaList: async (filter: { schema?: string; vhost?: string; app?: string; stream?: string } = {}): Promise<MediaSourceRow[]> => (await call("getMediaList", filter)).data ?? [],
    listRtpServer: async (): Promise<RtpServerRow[]> => (await call("listRtpServer")).data ?? [],
    getRtpInfo: async (p: KeyParams): Promise<RtpInfo> => call("getRtpInfo", { ...p }),
    openRtpServer: async (p: OpenRtpServerParams): Promise<{ port: number }> => ({ port: (await call("openRtpServer", { ...p })).port }),
    closeRtpServer: async (p: KeyParams): Promise<{ hit: number }> => ({ hit: (await call("closeRtpServer", { ...p })).hit }),
    updateRtpServerSSRC: async (p: KeyParams & { ssrc: number }) => void (await call("updateRtpServerSSRC", { ...p })),
    pauseRtpCheck: async (p: KeyParams & { pause_seconds?: number }) => void (await call("pauseRtpCheck", { ...p })),
    resumeRtpCheck: async (p: KeyParams) => void (await call("resumeRtpCheck", { ...p })),
    closeStreams: async (p: { schema?: string; vhost?: string; app?: string; stream?: string; force?: boolean }) => {
      const a = await call("close_streams", { ...p });
      return { countHit: a.count_hit, countClosed: a.count_closed };
    },
    isMediaOnline: async (p: { schema: string; vhost?: string; app: string; stream: string }) => (await call("isMediaOnline", { ...p })).online,
    getMediaInfo: async (p: { schema: string; vhost?: string; app: string; stream: string }) => call("getMediaInfo", { ...p }),
  };
}

export type ZlmClient = ReturnType<typeof createZlmClient>;

function networkReason(err: unknown, timeoutMs: number): string {
  if (err instanceof Error) {
    if (err.name === "TimeoutError" || err.name === "AbortError") return `timed out after ${timeoutMs} ms`;
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ""}`;
    return err.message;
  }
  return String(err);
}
