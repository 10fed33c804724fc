import { float, type ZlmJson } from "./zlm-json";

export const DEFAULT_VHOST = "__defaultVhost__";

/** Order in which a live RTP stream's schemas register (by hook_index, observed). */
export const REGISTER_ORDER = ["fmp4", "rtmp", "rtsp", "ts"] as const;
/** Order of the regist=false hooks at teardown (observed). */
export const UNREGISTER_ORDER = ["hls", "hls.fmp4", "ts", "rtsp", "rtmp", "fmp4"] as const;
/** getRtpInfo / pauseRtpCheck look the stream up in this order (WebApi.cpp). */
export const LOOKUP_ORDER = ["rtmp", "rtsp", "ts", "fmp4", "hls", "hls.fmp4"] as const;

/** What a MediaSource reports about the stream that feeds it. */
export interface MediaOrigin {
  originType: number;
  originTypeStr: string;
  originUrl: string;
  originSock: { identifier: string; local_ip: string; local_port: number; peer_ip: string; peer_port: number } | null;
  createStamp: number;
  totalBytes(): number;
  bytesSpeed(): number;
  tracks(): ZlmJson[];
  /** True while the owning receiver is alive (close_streams asks it for its thread). */
  alive(): boolean;
  /** Tears the owning receiver down (closing the stream closes the RtpServer too). */
  close(): void;
}

export interface MediaSource {
  schema: string;
  vhost: string;
  app: string;
  stream: string;
  origin: MediaOrigin;
  registeredAt: number;
}

/** ZLM's MediaSource table: one entry per schema, keyed schema/vhost/app/stream. */
export class MediaRegistry {
  private readonly sources = new Map<string, MediaSource>();

  static key(schema: string, vhost: string, app: string, stream: string): string {
    return `${schema}/${vhost}/${app}/${stream}`;
  }

  /** False when the name is already taken for that schema (a new stream cannot replace a live one). */
  add(src: MediaSource): boolean {
    const k = MediaRegistry.key(src.schema, src.vhost, src.app, src.stream);
    if (this.sources.has(k)) return false;
    this.sources.set(k, src);
    return true;
  }

  remove(src: MediaSource): boolean {
    const k = MediaRegistry.key(src.schema, src.vhost, src.app, src.stream);
    if (this.sources.get(k) !== src) return false;
    this.sources.delete(k);
    return true;
  }

  get(schema: string, vhost: string, app: string, stream: string): MediaSource | undefined {
    return this.sources.get(MediaRegistry.key(schema, vhost, app, stream));
  }

  list(filter: { schema?: string; vhost?: string; app?: string; stream?: string } = {}): MediaSource[] {
    return [...this.sources.values()].filter(
      (s) =>
        (!filter.schema || s.schema === filter.schema) &&
        (!filter.vhost || s.vhost === filter.vhost) &&
        (!filter.app || s.app === filter.app) &&
        (!filter.stream || s.stream === filter.stream),
    );
  }

  /**
   * getMediaList's order: ZLM walks nested unordered_maps (schema -> vhost -> app -> stream), and
   * libstdc++ puts a node for an empty bucket at the list head, so small maps iterate newest
   * first. Observed for one RTP stream, twice in the recordings and on a real build: hls, ts,
   * rtsp, rtmp, fmp4 (registered fmp4, rtmp, rtsp, ts, then hls). Larger maps can collide in a
   * bucket and differ; newest first per level is the stand-in.
   */
  listInZlmOrder(filter: { schema?: string; vhost?: string; app?: string; stream?: string } = {}): MediaSource[] {
    const bySchema = new Map<string, MediaSource[]>();
    for (const src of this.list(filter)) {
      const group = bySchema.get(src.schema) ?? [];
      group.push(src);
      bySchema.set(src.schema, group);
    }
    // A schema's map is created by its first source and erased with its last: order by that first source.
    return [...bySchema.values()].reverse().flatMap((group) => [...group].reverse());
  }

  clear(): void {
    this.sources.clear();
  }

  get size(): number {
    return this.sources.size;
  }
}

/** The getMediaList entry / on_stream_changed regist=true body of one source. */
export function mediaSourceJson(src: MediaSource, now: number): { [key: string]: ZlmJson } {
  const o = src.origin;
  return {
    aliveSecond: Math.max(0, Math.floor(now / 1000) - o.createStamp),
    app: src.app,
    bytesSpeed: o.bytesSpeed(),
    createStamp: o.createStamp,
    isRecordingHLS: src.schema === "hls" ? true : o.originType === 3,
    isRecordingMP4: false,
    originSock: o.originSock,
    originType: o.originType,
    originTypeStr: o.originTypeStr,
    originUrl: o.originUrl,
    params: "",
    readerCount: 0,
    schema: src.schema,
    stream: src.stream,
    totalBytes: o.totalBytes(),
    totalReaderCount: 0,
    tracks: o.tracks(),
    vhost: src.vhost,
  };
}

/**
 * ZLM's muted AAC track (protocol.add_mute_audio=1), listed before the video track (observed).
 * It runs in 128 ms frames ahead of the video: duration = ceil(video / 128) * 128 and one more
 * frame than that (recordings: 3600 and 3680 -> 3712 ms, 30 frames; real build: 2800 -> 2816,
 * 23 frames; 7680 -> 7680, 61 frames).
 */
export function muteAudioTrack(videoDurationMs: number, loss = -1): ZlmJson {
  const blocks = Math.ceil(Math.max(0, videoDurationMs) / 128);
  return {
    channels: 1,
    codec_id: 2,
    codec_id_name: "mpeg4-generic",
    codec_type: 1,
    duration: blocks * 128,
    frames: blocks + 1,
    loss: float(loss),
    ready: true,
    sample_bit: 16,
    sample_rate: 8000,
  };
}

export interface VideoStats {
  frames: number;
  keyFrames: number;
  durationMs: number;
  fps: number;
  gopSize: number;
  gopIntervalMs: number;
  /** Picture size from the SPS; 320x240 (the recordings' ffmpeg testsrc) when none was seen. */
  size?: { width: number; height: number } | null;
}

export function h264Track(v: VideoStats, loss = -1): ZlmJson {
  return {
    codec_id: 0,
    codec_id_name: "H264",
    codec_type: 0,
    duration: v.durationMs,
    fps: float(Math.round(v.fps)),
    frames: v.frames,
    gop_interval_ms: v.gopIntervalMs,
    gop_size: v.gopSize,
    height: v.size?.height ?? 240,
    key_frames: v.keyFrames,
    loss: float(loss),
    ready: true,
    width: v.size?.width ?? 320,
  };
}
