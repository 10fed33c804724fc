/**
 * zod shapes shared by API answers and hook bodies: the media source object
 * (getMediaList item, getMediaInfo, on_stream_changed regist=true) and the
 * statistic counters (getStatistic, on_server_keepalive). Pure.
 */
import { z } from "zod";

const int = z.number().int();
/** Floats print as `25.0` / `-1.0`; after JSON.parse they are plain numbers. */
const num = z.number();

/** Object counts; ENABLE_MEM_DEBUG builds add more fields of other shapes, so the object stays loose. */
export const statisticDataSchema = z.looseObject({
  Socket: int,
  TcpServer: int,
  TcpSession: int,
  UdpServer: int,
  UdpSession: int,
  MediaSource: int,
  Buffer: int.optional(),
  BufferLikeString: int.optional(),
  BufferList: int.optional(),
  BufferRaw: int.optional(),
  Frame: int.optional(),
  FrameImp: int.optional(),
  MultiMediaSourceMuxer: int.optional(),
  RtmpPacket: int.optional(),
  RtpPacket: int.optional(),
  TcpClient: int.optional(),
});
export type ZlmStatistic = z.infer<typeof statisticDataSchema>;

export const originSockSchema = z.looseObject({ identifier: z.string(), local_ip: z.string(), local_port: int, peer_ip: z.string(), peer_port: int });
export const trackSchema = z.looseObject({
  codec_id: int,
  codec_id_name: z.string(),
  codec_type: int,
  ready: z.boolean(),
  duration: int.optional(),
  frames: int.optional(),
  /** Only when the JSON was built on the stream's own thread: treat as optional. */
  loss: num.optional(),
  fps: num.optional(),
  width: int.optional(),
  height: int.optional(),
  gop_size: int.optional(),
  gop_interval_ms: int.optional(),
  key_frames: int.optional(),
  channels: int.optional(),
  sample_bit: int.optional(),
  sample_rate: int.optional(),
});
export type MediaTrack = z.infer<typeof trackSchema>;

/** Shared by getMediaList items, getMediaInfo and on_stream_changed regist=true. */
export const mediaSourceShape = {
  app: z.string(),
  stream: z.string(),
  schema: z.string(),
  vhost: z.string(),
  params: z.string(),
  aliveSecond: int,
  bytesSpeed: int,
  createStamp: int,
  totalBytes: int,
  readerCount: int,
  totalReaderCount: int,
  originType: int,
  originTypeStr: z.string(),
  originUrl: z.string(),
  /** null for sources without a socket, and in the stray hls registration during teardown. */
  originSock: originSockSchema.nullable(),
  isRecordingHLS: z.boolean().optional(),
  isRecordingMP4: z.boolean().optional(),
  /** May be empty (the stray hls registration). */
  tracks: z.array(trackSchema),
};
export const mediaSourceSchema = z.looseObject(mediaSourceShape);
export type MediaSourceRow = z.infer<typeof mediaSourceSchema>;
