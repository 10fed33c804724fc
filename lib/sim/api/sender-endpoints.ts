import { missingArgs, thrown } from "./answer";
import type { Endpoint } from "./rtp-endpoints";

const SEND_ARGS = ["vhost", "app", "stream", "ssrc", "dst_url", "dst_port", "is_udp"];

/** startSendRtp needs a registered source stream; the emulator answers the not-found case like ZLM. */
const startSendRtp: Endpoint = (emu, args) => {
  if (SEND_ARGS.some((a) => !args.has(a))) return missingArgs(SEND_ARGS);
  const found = emu.media.list({ vhost: args.str("vhost"), app: args.str("app"), stream: args.str("stream") }).length > 0;
  if (!found) return thrown(-500, "can not find the source stream");
  return thrown(-400, "startSendRtp is not available on this server");
};

export const SENDER_ENDPOINTS: Record<string, Endpoint> = { startSendRtp };
