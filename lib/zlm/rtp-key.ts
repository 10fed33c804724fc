/**
 * The RTP server key ZLM uses: `vhost/app/stream_id`, with ZLM's defaults.
 * A close with the wrong vhost or app misses the server (reference 5.6), so
 * keys are always built in full.
 */
export const DEFAULT_VHOST = "__defaultVhost__";
export const DEFAULT_RTP_APP = "rtp";

export interface RtpKeyParts {
  vhost: string;
  app: string;
  streamId: string;
}

export function rtpKey(parts: { vhost?: string | null; app?: string | null; streamId: string }): string {
  return `${parts.vhost || DEFAULT_VHOST}/${parts.app || DEFAULT_RTP_APP}/${parts.streamId}`;
}

/** Splits a key; the stream id may itself contain "/" only in theory, so everything after app is the stream. */
export function parseRtpKey(key: string): RtpKeyParts | null {
  const [vhost, app, ...rest] = key.split("/");
  if (!vhost || !app || rest.length === 0 || !rest.join("/")) return null;
  return { vhost, app, streamId: rest.join("/") };
}
