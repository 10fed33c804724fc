/**
 * zod schemas of ZLM hook bodies (reference 4.3, fixtures/hooks). Pure.
 * Every body carries `mediaServerId` and `hook_index` (a JSON integer).
 * Loose objects: fields a newer ZLM adds survive. Numbers are JSON numbers
 * except `ssrc`, which on_send_rtp_stopped sends as a decimal string.
 */
import { z } from "zod";
import { mediaSourceShape, statisticDataSchema } from "./media-schemas";

const int = z.number().int();
/** A uint32 SSRC, as a JSON integer or as a decimal string. */
const ssrc = z.union([int.min(0), z.string().regex(/^\d+$/)]);
const base = { mediaServerId: z.string(), hook_index: int };
const streamRef = { ...base, app: z.string(), stream: z.string(), vhost: z.string() };
/** A client or publisher connection: on_publish, on_play, on_stream_not_found, on_flow_report. */
const peer = { schema: z.string(), params: z.string(), id: z.string(), ip: z.string(), port: int, protocol: z.string() };

/** Sent after the registry entry is erased; also for ghost receivers that listRtpServer never lists. */
export const rtpServerTimeoutHookSchema = z.looseObject({
  ...base,
  app: z.string(),
  local_port: int,
  re_use_port: z.boolean(),
  ssrc,
  stream_id: z.string(),
  tcp_mode: int,
  vhost: z.string(),
});
export const publishHookSchema = z.looseObject({ ...streamRef, ...peer, originType: int.optional(), originTypeStr: z.string().optional() });
export const playHookSchema = z.looseObject({ ...streamRef, ...peer });
export const streamNotFoundHookSchema = z.looseObject({ ...streamRef, ...peer });

/** regist=true: the whole media source (originSock may be null, tracks may be empty: the stray hls). */
export const streamRegisteredHookSchema = z.looseObject({ ...base, ...mediaSourceShape, regist: z.literal(true) });
/** regist=false: only the identifying fields. */
export const streamUnregisteredHookSchema = z.looseObject({ ...streamRef, schema: z.string(), params: z.string().optional(), regist: z.literal(false) });
export const streamChangedHookSchema = z.discriminatedUnion("regist", [streamRegisteredHookSchema, streamUnregisteredHookSchema]);

export const streamNoneReaderHookSchema = z.looseObject({ ...streamRef, schema: z.string(), params: z.string() });
/** `duration` whole seconds, `totalBytes` bytes; `player` false for the publisher (schema "rtp"). */
export const flowReportHookSchema = z.looseObject({ ...streamRef, ...peer, duration: int, totalBytes: int, player: z.boolean() });
/** `err` is ZLToolKit's socket error (1 eof, 2 timeout, 3 refused...). */
export const sendRtpStoppedHookSchema = z.looseObject({
  ...streamRef,
  ssrc,
  err: int,
  msg: z.string(),
  params: z.string().optional(),
  originType: int.optional(),
  originTypeStr: z.string().optional(),
  originUrl: z.string().optional(),
});
/** getServerConfig's data[0] (all strings, api.secret in clear text) plus mediaServerId and hook_index. */
export const serverStartedHookSchema = z.object(base).catchall(z.string());
export const serverKeepaliveHookSchema = z.looseObject({ ...base, data: statisticDataSchema });
export const serverExitedHookSchema = z.looseObject(base);
/** Not recorded: fields from the reference, only the identifying ones required. */
export const recordHookSchema = z.looseObject({
  ...streamRef,
  file_path: z.string(),
  file_name: z.string().optional(),
  folder: z.string().optional(),
  url: z.string().optional(),
  params: z.string().optional(),
  start_time: int.optional(),
  time_len: z.number().optional(),
  file_size: int.optional(),
});
/** Less relevant hooks Portscope does not subscribe to; validated loosely if they arrive. */
export const httpAccessHookSchema = z.looseObject({ ...base, ip: z.string(), port: int, id: z.string(), path: z.string().optional(), is_dir: z.boolean().optional() });
export const rtspRealmHookSchema = z.looseObject({ ...streamRef });
export const rtspAuthHookSchema = z.looseObject({ ...streamRef, user_name: z.string(), realm: z.string().optional(), must_no_encrypt: z.boolean().optional() });
export const shellLoginHookSchema = z.looseObject({ ...base, ip: z.string(), port: int, id: z.string(), user_name: z.string() });

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
  "on_http_access",
  "on_rtsp_realm",
  "on_rtsp_auth",
  "on_shell_login",
] as const;
export type HookName = (typeof HOOK_NAMES)[number];

export const hookBodySchemas = {
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
  on_http_access: httpAccessHookSchema,
  on_rtsp_realm: rtspRealmHookSchema,
  on_rtsp_auth: rtspAuthHookSchema,
  on_shell_login: shellLoginHookSchema,
} as const satisfies Record<HookName, z.ZodType>;

export type HookBody<N extends HookName> = z.output<(typeof hookBodySchemas)[N]>;
export type RtpServerTimeoutHook = HookBody<"on_rtp_server_timeout">;
export type PublishHook = HookBody<"on_publish">;
export type PlayHook = HookBody<"on_play">;
export type StreamChangedHook = HookBody<"on_stream_changed">;
export type StreamNoneReaderHook = HookBody<"on_stream_none_reader">;
export type StreamNotFoundHook = HookBody<"on_stream_not_found">;
export type FlowReportHook = HookBody<"on_flow_report">;
export type SendRtpStoppedHook = HookBody<"on_send_rtp_stopped">;
export type ServerStartedHook = HookBody<"on_server_started">;
export type ServerKeepaliveHook = HookBody<"on_server_keepalive">;
export type ServerExitedHook = HookBody<"on_server_exited">;
export type RecordHook = HookBody<"on_record_mp4">;

export function isHookName(name: string): name is HookName {
  return (HOOK_NAMES as readonly string[]).includes(name);
}
