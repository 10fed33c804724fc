/**
 * Typed ZLM failures. Pure. ZLM answers HTTP 200 for almost every error, so
 * `code` and `msg` decide, and one conflict comes under two codes (reference
 * 1.4, 2.1). `kind` drives the retry policy: a conflict is resolved by close +
 * confirmed release, a transient error is retried with backoff, a permanent
 * one stops at once.
 */
export type ZlmErrorKind = "conflict" | "transient" | "permanent";

export interface ZlmErrorInit {
  nodeId: string;
  endpoint: string;
  code: number | null;
  zlmMsg: string | null;
  kind: ZlmErrorKind;
  httpStatus: number | null;
  /** Must already be free of the secret (see redact.ts). */
  message: string;
  cause?: unknown;
}

export class ZlmError extends Error {
  readonly nodeId: string;
  readonly endpoint: string;
  /** ZLM's `code`; null when there was no JSON answer (network error, HTTP error, HTML). */
  readonly code: number | null;
  /** ZLM's `msg`; null when absent (e.g. `{"code":-500}` from pauseRtpCheck). */
  readonly zlmMsg: string | null;
  readonly kind: ZlmErrorKind;
  /** null when no HTTP answer arrived at all. */
  readonly httpStatus: number | null;

  constructor(init: ZlmErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "ZlmError";
    this.nodeId = init.nodeId;
    this.endpoint = init.endpoint;
    this.code = init.code;
    this.zlmMsg = init.zlmMsg;
    this.kind = init.kind;
    this.httpStatus = init.httpStatus;
  }

  /** What logs and API answers carry: no cause, no stack. */
  toJSON() {
    return { name: this.name, nodeId: this.nodeId, endpoint: this.endpoint, code: this.code, msg: this.zlmMsg, kind: this.kind, httpStatus: this.httpStatus, message: this.message };
  }
}

/** Current text, and the one before 2024-07-09. */
export const ALREADY_EXISTS_MESSAGES = ["This stream already exists", "该stream_id已存在"] as const;
/** The -400 that loses a concurrent-open race (reference 2.1): the same conflict under another code. */
export const CONCURRENT_OPEN_ASSERTION = "Assertion failed: (it.second)";

/** -400 bind failures, e.g. `创建rtp端口 127.0.0.1:30600 失败:address already in use`, `Listen on ... failed: address already in use`. */
const BIND_FAILURE = /address already in use/i;
/** -400 port pool exhaustion: retrying at once will not find a port. */
const POOL_EXHAUSTED = /none reserved port in pool|no available port|no free port/i;
/** -1 async socket failures (ZLToolKit error texts) that may pass. */
const SOCKET_TRANSIENT = /connection refused|connection reset|timed? ?out|timeout|broken pipe|end of file|unreachable|dns resolution failed/i;
/** Transport failures that are configuration mistakes, not weather. */
const NETWORK_PERMANENT = /ERR_INVALID_URL|Invalid URL|Failed to parse URL|unknown scheme/i;

export interface ZlmAnswerFacts {
  code: number | null;
  msg?: string | null;
  httpStatus: number | null;
  /** Transport failure text (fetch error, timeout) when no HTTP answer arrived. */
  networkError?: string | null;
}

export function isAlreadyExists(code: number | null, msg: string | null | undefined): boolean {
  if (msg == null) return false;
  if (code === -300) return ALREADY_EXISTS_MESSAGES.some((m) => msg.includes(m));
  return code === -400 && msg.startsWith(CONCURRENT_OPEN_ASSERTION);
}

export function classifyZlmAnswer(f: ZlmAnswerFacts): ZlmErrorKind {
  if (f.networkError) return NETWORK_PERMANENT.test(f.networkError) ? "permanent" : "transient";
  if (f.httpStatus !== null && f.httpStatus !== 200) {
    // ZLM itself only sends 200 or the 404 page; 5xx, 408 and 429 come from what sits in between.
    return f.httpStatus >= 500 || f.httpStatus === 408 || f.httpStatus === 429 ? "transient" : "permanent";
  }
  if (isAlreadyExists(f.code, f.msg)) return "conflict";
  const msg = f.msg ?? "";
  switch (f.code) {
    case -400:
      if (POOL_EXHAUSTED.test(msg)) return "permanent";
      return BIND_FAILURE.test(msg) ? "transient" : "permanent";
    case -1:
      return SOCKET_TRANSIENT.test(msg) ? "transient" : "permanent";
    default:
      // -100 auth, -200 sql, -300 invalid args, -500 not found, unknown codes, and
      // code null (an unparsable 200): repeating the same call cannot help.
      return "permanent";
  }
}

/**
 * close_streams (and close_stream) can answer -400 after the stream *was*
 * closed: the first close destroys the RtpProcess owning every schema, so the
 * next schema's "getOwnerPoller failed" throws (fixtures README 10). The
 * outcome is unknown: confirm with listRtpServer / getMediaList.
 */
export function isUncertainCloseOutcome(e: { endpoint: string; code: number | null }): boolean {
  return (e.endpoint === "close_streams" || e.endpoint === "close_stream") && e.code === -400;
}

const ADVICE: Record<ZlmErrorKind, string> = {
  conflict: "the key is still held: confirm release before reopening",
  transient: "may succeed if retried",
  permanent: "retrying will not help",
};

/** One line for an operator: node, endpoint, ZLM's code and text, kind and what to do. */
export function describeZlmError(e: Pick<ZlmError, "nodeId" | "endpoint" | "code" | "zlmMsg" | "kind" | "httpStatus">): string {
  const what = e.code !== null ? `code ${e.code}${e.zlmMsg ? ` "${e.zlmMsg}"` : ""}` : e.httpStatus !== null ? `HTTP ${e.httpStatus}` : (e.zlmMsg ?? "no answer");
  const advice = isUncertainCloseOutcome(e) ? "ZLM may have closed the stream anyway: confirm with listRtpServer / getMediaList" : ADVICE[e.kind];
  return `${e.endpoint} on ${e.nodeId}: ${what} (${e.kind}; ${advice})`;
}
