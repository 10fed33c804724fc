/**
 * zod schemas of ZLM hook bodies (reference section 4.3, fixtures/hooks).
 * Every body carries `mediaServerId` and `hook_index`. Loose objects: only
 * the fields Portscope relies on are required.
 */
import { z } from "zod";

const int = z.number().int();
const base = { mediaServerId: z.string(), hook_index: int };
const streamRef = { ...base, app: z.string(), stream: z.string(), vhost: z.string() };

export const rtpServerTimeoutHookSchema = z.looseObject({
  ...base,
  app: z.string(),
  local_port: int,
  re_use_port: z.boolean(),
  ssrc: int,
  stream_id: z.string(),
  tcp_mode: int,
  vhost: z.string(),
});
export const publishHookSchema = z.looseObject({ ...streamRef, schema: z.string(), id: z.string(), ip: z.string(), port: int, params: z.string(), originType: int.optional(), protocol: z.string().optional() });
export const playHookSchema = z.looseObject({ ...streamRef, schema: z.string(), id: z.string(), ip: z.string(), port: int, params: z.string() });
/** regist=true carries the whole MediaSource; regist=false only the identifying fields. */
export const streamChangedHookSchema = z.looseObject({ ...streamRef, schema: z.string(), regist: z.boolean(), originType: int.optional(), bytesSpeed: z.number().optional() });
export const streamNoneReaderHookSchema = z.looseObject({ ...streamRef, schema: z.string() });
export const streamNotFoundHookSchema = z.looseObject({ ...streamRef, schema: z.string(), id: z.string().optional() });
export const flowReportHookSchema = z.looseObject({ ...streamRef, schema: z.string(), duration: z.number(), totalBytes: z.number(), player: z.boolean() });
export const sendRtpStoppedHookSchema = z.looseObject({ ...streamRef, ssrc: z.union([z.string(), int]), err: int.optional(), msg: z.string().optional() });
export const serverStartedHookSchema = z.looseObject({ "general.mediaServerId": z.string().optional(), hook_index: int.optional() }).catchall(z.unknown());
export const serverKeepaliveHookSchema = z.looseObject({ ...base, data: z.record(z.string(), z.number()).optional() });
export const serverExitedHookSchema = z.looseObject({ ...base });
export const recordHookSchema = z.looseObject({ ...streamRef, file_path: z.string().optional() });

export const HOOK_NAMES = [
  "on_rtp_server_timeout",
  "on_publish",
  "on_play",
  "on_stream_changed",
  "on_stream_none_reader",
  "on_stream_not_found",
  "on_flow_report",
  "on_send_rtp_stopped",
  "on_server_started",
  "on_server_keepalive",
  "on_server_exited",
  "on_record_mp4",
  "on_record_ts",
] as const;
export type HookName = (typeof HOOK_NAMES)[number];

export const hookBodySchemas: Record<HookName, z.ZodType<Record<string, unknown>>> = {
  on_rtp_server_timeout: rtpServerTimeoutHookSchema,
  on_publish: publishHookSchema,
  on_play: playHookSchema,
  on_stream_changed: streamChangedHookSchema,
  on_stream_none_reader: streamNoneReaderHookSchema,
  on_stream_not_found: streamNotFoundHookSchema,
  on_flow_report: flowReportHookSchema,
  on_send_rtp_stopped: sendRtpStoppedHookSchema,
  on_server_started: serverStartedHookSchema,
  on_server_keepalive: serverKeepaliveHookSchema,
  on_server_exited: serverExitedHookSchema,
  on_record_mp4: recordHookSchema,
  on_record_ts: recordHookSchema,
};
