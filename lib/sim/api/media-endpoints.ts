import type { ApiArgs } from "../api-args";
import { LOOKUP_ORDER, mediaSourceJson, type MediaSource } from "../media-registry";
import { missingArgs, ok, thrown } from "./answer";
import type { Endpoint } from "./rtp-endpoints";

function filterOf(args: ApiArgs) {
  return { schema: args.str("schema"), vhost: args.str("vhost"), app: args.str("app"), stream: args.str("stream") };
}

const getMediaList: Endpoint = (emu, args) => {
  const now = emu.now();
  const data = emu.media.listInZlmOrder(filterOf(args)).map((s) => mediaSourceJson(s, now));
  return ok(data.length ? { data } : {});
};

const MEDIA_ARGS = ["schema", "vhost", "app", "stream"];

function findOne(emu: Parameters<Endpoint>[0], args: ApiArgs): MediaSource | undefined {
  return emu.media.get(args.str("schema"), args.str("vhost"), args.str("app"), args.str("stream"));
}

const getMediaInfo: Endpoint = (emu, args) => {
  if (MEDIA_ARGS.some((a) => !args.has(a))) return missingArgs(MEDIA_ARGS);
  const src = findOne(emu, args);
  if (!src) return thrown(-500, "can not find the stream");
  return ok(mediaSourceJson(src, emu.now()));
};

const isMediaOnline: Endpoint = (emu, args) => {
  if (MEDIA_ARGS.some((a) => !args.has(a))) return missingArgs(MEDIA_ARGS);
  return ok({ online: findOne(emu, args) !== undefined });
};

const CLASS_OF: Record<string, string> = {
  rtmp: "mediakit::RtmpMediaSource",
  rtsp: "mediakit::RtspMediaSource",
  ts: "mediakit::TSMediaSource",
  fmp4: "mediakit::FMP4MediaSource",
  hls: "mediakit::HlsMediaSource",
  "hls.fmp4": "mediakit::HlsFMP4MediaSource",
};

/**
 * close_streams closes one source per matching schema. For an RTP stream the
 * first close destroys the receiver that owns every schema, so asking the next
 * one for its owner thread throws: -400 although the stream was closed (observed).
 */
const closeStreams: Endpoint = (emu, args) => {
  const matches = emu.media.list(filterOf(args));
  matches.sort((a, b) => LOOKUP_ORDER.indexOf(a.schema as never) - LOOKUP_ORDER.indexOf(b.schema as never));
  let closed = 0;
  for (const src of matches) {
    if (!src.origin.alive()) {
      return thrown(-400, `${CLASS_OF[src.schema] ?? "mediakit::MediaSource"}::getOwnerPoller failed: ${src.schema}://${src.vhost}/${src.app}/${src.stream}`);
    }
    src.origin.close();
    closed++;
  }
  return ok({ count_closed: closed, count_hit: matches.length });
};

const closeStream: Endpoint = (emu, args) => {
  if (MEDIA_ARGS.some((a) => !args.has(a))) return missingArgs(MEDIA_ARGS);
  const src = findOne(emu, args);
  if (!src) return thrown(-500, "can not find the stream");
  src.origin.close();
  return ok({ msg: "success", result: 0 });
};

export const MEDIA_ENDPOINTS: Record<string, Endpoint> = {
  getMediaList,
  getMediaInfo,
  isMediaOnline,
  close_streams: closeStreams,
  close_stream: closeStream,
};
