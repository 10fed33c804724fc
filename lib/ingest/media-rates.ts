/**
 * The receive rate of every stream in one getMediaList answer, kept in the
 * poller's memory only: a rate sample per poll would fill the event log.
 * ZLM lists a stream once per protocol, each with its own bytesSpeed (bytes/s
 * written into that muxer); the rtsp entry repackages the RTP as it arrives,
 * so it stands for the input rate, the largest entry when rtsp is off.
 */
import { DEFAULT_RTP_APP, DEFAULT_VHOST } from "../zlm/rtp-key";

export interface MediaRow {
  vhost: string;
  app: string;
  stream: string;
  schema: string;
  bytesSpeed?: number;
  totalBytes?: number;
  aliveSecond?: number;
}

export interface MediaRate {
  /** `vhost/app/stream`. */
  key: string;
  /** Bytes per second, as ZLM reports it. */
  bytesSpeed: number;
  totalBytes: number | null;
  aliveSecond: number | null;
  /** Protocols the stream is registered in. */
  schemas: number;
}

export function mediaRates(rows: MediaRow[]): MediaRate[] {
  const byKey = new Map<string, { rate: MediaRate; fromRtsp: boolean }>();
  for (const r of rows) {
    const key = `${r.vhost || DEFAULT_VHOST}/${r.app || DEFAULT_RTP_APP}/${r.stream}`;
    const speed = r.bytesSpeed ?? 0;
    const prior = byKey.get(key);
    if (!prior) {
      byKey.set(key, { rate: { key, bytesSpeed: speed, totalBytes: r.totalBytes ?? null, aliveSecond: r.aliveSecond ?? null, schemas: 1 }, fromRtsp: r.schema === "rtsp" });
      continue;
    }
    prior.rate.schemas++;
    if (r.schema === "rtsp" || (!prior.fromRtsp && speed > prior.rate.bytesSpeed)) {
      prior.rate.bytesSpeed = speed;
      prior.rate.totalBytes = r.totalBytes ?? prior.rate.totalBytes;
      prior.fromRtsp = r.schema === "rtsp";
    }
  }
  return [...byKey.values()].map((v) => v.rate);
}
