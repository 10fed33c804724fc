/**
 * zod schemas of ZLM's API answers, written from the reference and checked
 * against every recorded answer (schemas.test.ts). Pure: no server-only.
 * All objects are loose, so fields a newer ZLM adds survive parsing. Quirks:
 * HTTP 200 for errors (the envelope decides), `data` omitted when a list is
 * empty, getServerConfig values always strings, `code` always present.
 */
import { z } from "zod";
import { mediaSourceSchema, mediaSourceShape, statisticDataSchema } from "./media-schemas";

const int = z.number().int();

/** Every answer, success or error: `{code, msg?, data?}`. */
export const envelopeSchema = z.looseObject({ code: int, msg: z.string().optional(), data: z.unknown().optional() });
export type ZlmEnvelope = z.infer<typeof envelopeSchema>;

/** -100: wrong or missing secret; current master adds the un-logged `cookie`. */
export const unauthorizedSchema = z.looseObject({ code: z.literal(-100), msg: z.string(), cookie: z.string().optional() });

export const versionSchema = z.looseObject({
  code: z.literal(0),
  data: z.looseObject({ branchName: z.string(), buildTime: z.string(), commitHash: z.string() }),
});
export type ZlmVersion = z.infer<typeof versionSchema>["data"];

export const apiListSchema = z.looseObject({ code: z.literal(0), data: z.array(z.string()) });

/** One object in a one-element array; every value a string, `api.secret` included in clear text. */
export const serverConfigSchema = z.looseObject({ code: z.literal(0), data: z.array(z.record(z.string(), z.string())).length(1) });
export type ServerConfig = Record<string, string>;

/** `changed` counts only values that really changed (unknown keys: 0). */
export const setServerConfigSchema = z.looseObject({ code: z.literal(0), changed: int });

export const statisticSchema = z.looseObject({ code: z.literal(0), data: statisticDataSchema });

export const threadLoadSchema = z.looseObject({ delay: int, fd_count: int, load: int, name: z.string() });
export type ThreadLoad = z.infer<typeof threadLoadSchema>;
export const threadsLoadSchema = z.looseObject({ code: z.literal(0), data: z.array(threadLoadSchema).optional() });

/** listRtpServer item: exactly these seven fields on master, all numbers integers; only_track always 0. */
export const rtpServerRowSchema = z.looseObject({
  app: z.string(),
  only_track: int,
  port: int,
  ssrc: int,
  stream_id: z.string(),
  tcp_mode: int,
  vhost: z.string(),
});
export type RtpServerRow = z.infer<typeof rtpServerRowSchema>;
export const listRtpServerSchema = z.looseObject({ code: z.literal(0), data: z.array(rtpServerRowSchema).optional() });

/** One entry per schema (rtsp, rtmp, ts, fmp4, hls...): de-duplicate by vhost/app/stream. */
export const mediaListSchema = z.looseObject({ code: z.literal(0), data: z.array(mediaSourceSchema).optional() });

/** Not found is `-500 "can not find the stream"`; success is one media source flattened at top level. */
export const mediaInfoSchema = z.looseObject({ code: z.literal(0), ...mediaSourceShape });
export type MediaInfo = z.infer<typeof mediaInfoSchema>;

/** `exist:false` alone (no stream registered yet, or never opened), or the receiver's socket once live. */
export const rtpInfoSchema = z.discriminatedUnion("exist", [
  z.looseObject({ code: z.literal(0), exist: z.literal(false) }),
  z.looseObject({
    code: z.literal(0),
    exist: z.literal(true),
    identifier: z.string(),
    local_ip: z.string(),
    local_port: int,
    peer_ip: z.string(),
    peer_port: int,
  }),
]);
export type RtpInfo = z.infer<typeof rtpInfoSchema>;

export const openRtpServerSchema = z.looseObject({ code: z.literal(0), port: int });
/** `hit` 0 when the key was not registered: still code 0, the call is idempotent. */
export const closeRtpServerSchema = z.looseObject({ code: z.literal(0), hit: int });
/** updateRtpServerSSRC, pauseRtpCheck, resumeRtpCheck, connectRtpServer, stopSendRtp. */
export const okSchema = z.looseObject({ code: z.literal(0) });
export const closeStreamsSchema = z.looseObject({ code: z.literal(0), count_closed: int, count_hit: int });
export const isMediaOnlineSchema = z.looseObject({ code: z.literal(0), online: z.boolean() });
export const startSendRtpSchema = z.looseObject({ code: z.literal(0), local_port: int });
/** `data` holds SSRCs as strings; with no sender `data` and both counters are omitted. */
export const listRtpSenderSchema = z.looseObject({
  code: z.literal(0),
  data: z.array(z.string()).optional(),
  bytesSpeed: int.optional(),
  totalBytes: int.optional(),
});

/** Endpoint name (after /index/api/) -> schema of its success answer. */
export const answerSchemas = {
  version: versionSchema,
  getApiList: apiListSchema,
  getServerConfig: serverConfigSchema,
  setServerConfig: setServerConfigSchema,
  getStatistic: statisticSchema,
  getThreadsLoad: threadsLoadSchema,
  getWorkThreadsLoad: threadsLoadSchema,
  getMediaList: mediaListSchema,
  getMediaInfo: mediaInfoSchema,
  isMediaOnline: isMediaOnlineSchema,
  listRtpServer: listRtpServerSchema,
  getRtpInfo: rtpInfoSchema,
  openRtpServer: openRtpServerSchema,
  openRtpServerMultiplex: openRtpServerSchema,
  closeRtpServer: closeRtpServerSchema,
  updateRtpServerSSRC: okSchema,
  pauseRtpCheck: okSchema,
  resumeRtpCheck: okSchema,
  connectRtpServer: okSchema,
  close_streams: closeStreamsSchema,
  startSendRtp: startSendRtpSchema,
  stopSendRtp: okSchema,
  listRtpSender: listRtpSenderSchema,
} as const;
export type KnownEndpoint = keyof typeof answerSchemas;
export type Answer<E extends KnownEndpoint> = z.output<(typeof answerSchemas)[E]>;

export function isKnownEndpoint(name: string): name is KnownEndpoint {
  return Object.prototype.hasOwnProperty.call(answerSchemas, name);
}

export * from "./media-schemas";
export * from "./hook-schemas";
