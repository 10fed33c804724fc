/**
 * Typed ZLM failures. ZLM answers HTTP 200 for almost every error, so the
 * `code` and `msg` decide, and the same conflict comes under two codes
 * (reference 1.4, 2.1). `kind` drives the retry policy: conflicts are
 * resolved by close + confirmed release, transient errors are retried with
 * backoff, permanent ones stop at once.
 */
export type ZlmErrorKind = "conflict" | "transient" | "permanent";

export interface ZlmErrorInit {
  nodeId: string;
  endpoint: string;
  code: number | null;
  zlmMsg: string | null;
  kind: ZlmErrorKind;
  httpStatus: number | null;
  message: string;
  cause?: unknown;
}

export class ZlmError extends Error {
  readonly nodeId: string;
  readonly endpoint: string;
  readonly code: number | null;
  readonly zlmMsg: string | null;
  readonly kind: ZlmErrorKind;
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

  toJSON() {
    return { name: this.name, nodeId: this.nodeId, endpoint: this.endpoint, code: this.code, msg: this.zlmMsg, kind: this.kind, httpStatus: this.httpStatus, message: this.message };
  }
}

/** Current text, and the one before 2024-07-09. */
export const ALREADY_EXISTS_MESSAGES = ["This stream already exists", "该stream_id已存在"];
/** The -400 that loses a concurrent-open race (reference 2.1): the same conflict under another code. */
export const CONCURRENT_OPEN_ASSERTION = "Assertion failed: (it.second)";

// "listen tcp socket[0] failed" / "open udp socket[1] failed": the pool's three pairs were all
// busy (often ephemeral client ports inside port_range); the next open draws other pairs.
const TRANSIENT_TEXT = [/address already in use/i, /^(listen tcp|open udp) socket\[[01]\] failed/i, /timed? ?out/i, /connection (refused|reset)/i, /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN/, /socket hang up/i, /broken pipe/i, /try again/i];

export interface ZlmAnswerFacts {
  code: number | null;
  msg: string | null;
  httpStatus: number | null;
  /** Transport failure text (fetch error, abort) when there was no answer at all. */
  networkError?: string | null;
}

export function isAlreadyExists(code: number | null, msg: string | null): boolean {
  if (code === -300 && msg !== null && ALREADY_EXISTS_MESSAGES.some((m) => msg.includes(m))) return true;
  return code === -400 && msg !== null && msg.startsWith(CONCURRENT_OPEN_ASSERTION);
}

export function classifyZlmAnswer(f: ZlmAnswerFacts): ZlmErrorKind {
  if (f.networkError) return "transient";
  if (f.httpStatus !== null && f.httpStatus >= 500) return "transient";
  if (f.httpStatus !== null && f.httpStatus !== 200) return "permanent";
  if (isAlreadyExists(f.code, f.msg)) return "conflict";
  const msg = f.msg ?? "";
  switch (f.code) {
    case -100: // auth: retrying with the same secret cannot help
    case -300: // invalid or missing arguments
    case -500: // not found
    case -200:
      return "permanent";
    case -400:
      if (/none reserved port in pool/i.test(msg)) return "permanent";
      return TRANSIENT_TEXT.some((r) => r.test(msg)) ? "transient" : "permanent";
    case -1:
      return TRANSIENT_TEXT.some((r) => r.test(msg)) ? "transient" : "permanent";
    case null:
      return "permanent"; // an answer we could not parse: retrying the same call will not fix it
    default:
      return "permanent";
  }
}

/**
 * close_streams can answer -400 "...getOwnerPoller failed..." after it did
 * close the stream (fixtures README, behaviour 10): the outcome is unknown
 * until a poll confirms it.
 */
export function isUncertainCloseOutcome(endpoint: string, code: number | null, msg: string | null): boolean {
  return (endpoint === "close_streams" || endpoint === "close_stream") && code === -400 && (msg ?? "").includes("getOwnerPoller failed");
}

export function describeZlmError(e: Pick<ZlmError, "nodeId" | "endpoint" | "code" | "zlmMsg" | "kind" | "httpStatus">): string {
  const what = e.code !== null ? `code ${e.code}${e.zlmMsg ? ` "${e.zlmMsg}"` : ""}` : e.httpStatus !== null ? `HTTP ${e.httpStatus}` : e.zlmMsg ?? "no answer";
  const advice = e.kind === "conflict" ? "the key is still held: confirm release before reopening" : e.kind === "transient" ? "may succeed if retried" : "retrying will not help";
  return `${e.endpoint} on ${e.nodeId}: ${what} (${e.kind}; ${advice})`;
}
