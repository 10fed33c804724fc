/**
 * The RTP server key ZLM uses: `vhost/app/stream_id`, with ZLM's defaults.
 * A close with the wrong vhost or app misses the server (reference 5.6), so
 * keys are always built in full. Pure.
 */
export const DEFAULT_VHOST = "__defaultVhost__";
export const DEFAULT_RTP_APP = "rtp";

export interface RtpKeyParts {
  vhost: string;
  app: string;
  streamId: string;
}

/** Formats a key; a missing or empty vhost/app takes ZLM's default, as ZLM does. */
export function rtpKey(parts: { vhost?: string | null; app?: string | null; streamId: string }): string {
  return `${parts.vhost || DEFAULT_VHOST}/${parts.app || DEFAULT_RTP_APP}/${parts.streamId}`;
}

/** The key of anything shaped like ZLM's parameters: API params, listRtpServer rows, on_rtp_server_timeout bodies. */
export function rtpKeyOf(p: { stream_id: string; vhost?: string | null; app?: string | null }): string {
  return rtpKey({ vhost: p.vhost, app: p.app, streamId: p.stream_id });
}

/**
 * Splits a key. ZLM itself splits on "/" (listRtpServer shows a stream_id
 * containing "/" truncated); here everything after app is the stream id.
 */
export function parseRtpKey(key: string): RtpKeyParts | null {
  const [vhost, app, ...rest] = key.split("/");
  const streamId = rest.join("/");
  if (!vhost || !app || !streamId) return null;
  return { vhost, app, streamId };
}
