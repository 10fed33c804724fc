import { ZLM_API_LIST } from "../api-list";
import { MEDIA_ENDPOINTS } from "./media-endpoints";
import { RTP_ENDPOINTS, type Endpoint } from "./rtp-endpoints";
import { SENDER_ENDPOINTS } from "./sender-endpoints";
import { SERVER_ENDPOINTS, notEmulated } from "./server-endpoints";

const implemented: Record<string, Endpoint> = {
  ...SERVER_ENDPOINTS,
  ...RTP_ENDPOINTS,
  ...MEDIA_ENDPOINTS,
  ...SENDER_ENDPOINTS,
};

/** Every path of ZLM's getApiList answers; anything else is the 404 page. */
export const ENDPOINTS: Record<string, Endpoint> = Object.fromEntries(
  ZLM_API_LIST.filter((p) => p.startsWith("/index/api/"))
    .map((p) => p.slice("/index/api/".length))
    .map((name) => [name, implemented[name] ?? notEmulated(name)]),
);
