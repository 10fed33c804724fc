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

/** ZLM's muted AAC track (protocol.add_mute_audio=1), listed before the video track (observed). */
export function muteAudioTrack(durationMs: number): ZlmJson {
  return {
    channels: 1,
    codec_id: 2,
    codec_id_name: "mpeg4-generic",
    codec_type: 1,
    duration: durationMs,
    frames: Math.floor(durationMs / 128),
    loss: float(-1),
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
}

export function h264Track(v: VideoStats): ZlmJson {
  return {
    codec_id: 0,
    codec_id_name: "H264",
    codec_type: 0,
    duration: v.durationMs,
    fps: float(Math.round(v.fps)),
    frames: v.frames,
    gop_interval_ms: v.gopIntervalMs,
    gop_size: v.gopSize,
    height: 240,
    key_frames: v.keyFrames,
    loss: float(-1),
    ready: true,
    width: 320,
  };
}
