/**
 * zod schemas of ZLM's JSON, written from the reference and checked against
 * every recorded answer and hook (schemas.test.ts). All objects are loose:
 * a newer ZLM adding a field must never break Portscope. Quirks kept in mind:
 * HTTP 200 for errors, `data` omitted when a list is empty, config values are
 * strings, `code` always present.
 */
import { z } from "zod";

const int = z.number().int();
/** Some numbers are floats on the wire ("fps" : 25.0); JSON.parse makes them plain numbers. */
const num = z.number();

export const envelopeSchema = z.looseObject({ code: int, msg: z.string().optional() });
export type ZlmEnvelope = z.infer<typeof envelopeSchema>;

export const versionSchema = z.looseObject({
  code: z.literal(0),
  data: z.looseObject({ branchName: z.string(), buildTime: z.string(), commitHash: z.string() }),
});
export const apiListSchema = z.looseObject({ code: z.literal(0), data: z.array(z.string()) });
/** getServerConfig: an array with one object whose values are all strings (api.secret included!). */
export const serverConfigSchema = z.looseObject({ code: z.literal(0), data: z.array(z.record(z.string(), z.string())).min(1) });
export const setServerConfigSchema = z.looseObject({ code: z.literal(0), changed: int.optional() });
export const statisticSchema = z.looseObject({ code: z.literal(0), data: z.record(z.string(), num) });
export const threadLoadSchema = z.looseObject({ delay: num, load: num, fd_count: int.optional(), name: z.string().optional() });
export const threadsLoadSchema = z.looseObject({ code: z.literal(0), data: z.array(threadLoadSchema).optional() });

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

export const originSockSchema = z.looseObject({ identifier: z.string(), local_ip: z.string(), local_port: int, peer_ip: z.string(), peer_port: int });
export const trackSchema = z.looseObject({ codec_id: int, codec_id_name: z.string(), codec_type: int, ready: z.boolean() });
export const mediaSourceSchema = z.looseObject({
  app: z.string(),
  stream: z.string(),
  schema: z.string(),
  vhost: z.string(),
  aliveSecond: num.optional(),
  bytesSpeed: num.optional(),
  createStamp: num.optional(),
  originType: int.optional(),
  originTypeStr: z.string().optional(),
  originUrl: z.string().optional(),
  /** null for sources without a socket (reference 3.1), e.g. a pulled stream or the teardown hls blip. */
  originSock: originSockSchema.nullable().optional(),
  readerCount: int.optional(),
  totalReaderCount: int.optional(),
  totalBytes: num.optional(),
  tracks: z.array(trackSchema).optional(),
});
export type MediaSourceRow = z.infer<typeof mediaSourceSchema>;
export const mediaListSchema = z.looseObject({ code: z.literal(0), data: z.array(mediaSourceSchema).optional() });

/** getRtpInfo: `exist:false` alone, or the receiver's socket fields when a stream is live. */
export const rtpInfoSchema = z.looseObject({
  code: z.literal(0),
  exist: z.boolean(),
  identifier: z.string().optional(),
  local_ip: z.string().optional(),
  local_port: int.optional(),
  peer_ip: z.string().optional(),
  peer_port: int.optional(),
});
export type RtpInfo = z.infer<typeof rtpInfoSchema>;
export const openRtpServerSchema = z.looseObject({ code: z.literal(0), port: int });
export const closeRtpServerSchema = z.looseObject({ code: z.literal(0), hit: int });
export const okSchema = z.looseObject({ code: z.literal(0) });
export const closeStreamsSchema = z.looseObject({ code: z.literal(0), count_hit: int, count_closed: int });
export const isMediaOnlineSchema = z.looseObject({ code: z.literal(0), online: z.boolean() });
export const mediaInfoSchema = z.looseObject({ code: z.literal(0) });
export const unauthorizedSchema = z.looseObject({ code: z.literal(-100), msg: z.string(), cookie: z.string().optional() });

/** Endpoint path (after /index/api/) -> schema of its success answer. */
export const answerSchemas = {
  version: versionSchema,
  getApiList: apiListSchema,
  getServerConfig: serverConfigSchema,
  setServerConfig: setServerConfigSchema,
  getStatistic: statisticSchema,
  getThreadsLoad: threadsLoadSchema,
  getWorkThreadsLoad: threadsLoadSchema,
  getMediaList: mediaListSchema,
  listRtpServer: listRtpServerSchema,
  getRtpInfo: rtpInfoSchema,
  openRtpServer: openRtpServerSchema,
  openRtpServerMultiplex: openRtpServerSchema,
  closeRtpServer: closeRtpServerSchema,
  updateRtpServerSSRC: okSchema,
  pauseRtpCheck: okSchema,
  resumeRtpCheck: okSchema,
  close_streams: closeStreamsSchema,
  isMediaOnline: isMediaOnlineSchema,
  getMediaInfo: mediaInfoSchema,
  connectRtpServer: okSchema,
} as const;
export type KnownEndpoint = keyof typeof answerSchemas;

export * from "./hook-schemas";
