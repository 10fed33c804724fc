import net from "node:net";
import type { ApiArgs } from "../api-args";
import { DUPLICATE_MESSAGES } from "../knobs";
import { DEFAULT_VHOST } from "../media-registry";
import { OpenFailure, RtpServer } from "../rtp-server";
import { sleep } from "../hook-client";
import { CONCURRENT_OPEN_ASSERTION } from "../api-list";
import { errnoText } from "../sockets";
import { missingArgs, ok, returned, thrown } from "./answer";
import type { Endpoint } from "./api-context";

export type { Endpoint } from "./api-context";

function rtpKey(args: ApiArgs) {
  const vhost = args.str("vhost", DEFAULT_VHOST);
  const app = args.str("app", "rtp");
  const streamId = args.str("stream_id");
  return { vhost, app, streamId, key: `${vhost}/${app}/${streamId}` };
}

function openRtpServer(multiplex: boolean): Endpoint {
  return async (emu, args) => {
    if (!args.has("port") || !args.has("stream_id")) return missingArgs(["port", "stream_id"]);
    const { vhost, app, streamId, key } = rtpKey(args);
    let tcpMode = args.int("tcp_mode", 0);
    // Legacy enable_tcp=1 means passive TCP when tcp_mode is absent or 0 (observed: listed as tcp_mode 1).
    if (tcpMode === 0 && args.int("enable_tcp", 0) !== 0) tcpMode = 1;
    const onlyTrack = args.bool("only_audio") ? 1 : args.int("only_track", 0);
    const duplicate = thrown(-300, DUPLICATE_MESSAGES[emu.knobs.duplicateMessage]);
    // The only duplicate check: is the key in the RtpServer registry (zlm-reference §5.6).
    if (emu.servers.has(key)) return duplicate;
    if (emu.pendingOpens.has(key)) {
      // Concurrent opens both pass the lookup; the loser's insert trips ZLM's assertion now and then (observed).
      return emu.rng.chance(emu.knobs.assertionRate) ? thrown(-400, CONCURRENT_OPEN_ASSERTION) : duplicate;
    }
    emu.pendingOpens.add(key);
    try {
      if (emu.knobs.openLatencyMs > 0) await sleep(emu.knobs.openLatencyMs);
      const server = await RtpServer.open(
        emu,
        emu.pool,
        {
          vhost,
          app,
          streamId,
          port: args.uint("port", 16),
          tcpMode,
          reUsePort: multiplex ? true : args.bool("re_use_port"),
          ssrc: multiplex ? 0 : args.uint("ssrc", 32),
          onlyTrack,
          localIp: args.str("local_ip", emu.config("general.listen_ip")),
          multiplex,
        },
        (s, reason) => emu.detach(s, reason),
        (ghost, sockets) => emu.ghosts.push({ process: ghost, sockets }),
      );
      emu.servers.set(key, server);
      return ok({ port: server.port });
    } catch (err) {
      if (err instanceof OpenFailure) return thrown(-400, err.message);
      throw err;
    } finally {
      emu.pendingOpens.delete(key);
    }
  };
}

const closeRtpServer: Endpoint = async (emu, args) => {
  if (!args.has("stream_id")) return missingArgs(["stream_id"]);
  // A loaded ZLM handles the close later than a parallel open sent just after it (fixtures: about a third).
  if (emu.knobs.closeLatencyMs > 0) await sleep(emu.knobs.closeLatencyMs);
  const server = emu.servers.get(rtpKey(args).key);
  if (!server) return ok({ hit: 0 });
  emu.detach(server, "close");
  return ok({ hit: 1 });
};

/** Registry entries come out in hash order, not creation order (observed). */
function hashOrder(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619) >>> 0;
  return h;
}

const listRtpServer: Endpoint = (emu) => {
  const data = [...emu.servers.values()]
    .sort((a, b) => hashOrder(a.key) - hashOrder(b.key))
    .map((s) => ({
      app: s.options.app,
      only_track: 0, // always 0: the option never reaches the field this API reads (observed)
      port: s.port,
      ssrc: s.ssrc,
      stream_id: s.options.streamId,
      tcp_mode: s.options.tcpMode,
      vhost: s.options.vhost,
    }));
  return ok(data.length ? { data } : {});
};

const getRtpInfo: Endpoint = (emu, args) => {
  if (!args.has("stream_id")) return missingArgs(["stream_id"]);
  const { vhost, app, streamId } = rtpKey(args);
  const p = emu.findLiveProcess(vhost, app, streamId);
  if (!p || !p.peer) return ok({ exist: false });
  return ok({
    exist: true,
    identifier: streamId,
    local_ip: p.id.localIp,
    local_port: p.id.localPort,
    peer_ip: p.peer.address,
    peer_port: p.peer.port,
  });
};

const updateRtpServerSSRC: Endpoint = (emu, args) => {
  if (!args.has("stream_id") || !args.has("ssrc")) return missingArgs(["stream_id", "ssrc"]);
  const server = emu.servers.get(rtpKey(args).key);
  if (!server) return thrown(-500, "RtpServer not found by stream_id");
  server.ssrc = args.uint("ssrc", 32);
  return ok();
};

function rtpCheck(pause: boolean): Endpoint {
  return (emu, args) => {
    if (!args.has("stream_id")) return missingArgs(["stream_id"]);
    const { vhost, app, streamId } = rtpKey(args);
    const p = emu.findLiveProcess(vhost, app, streamId);
    if (!p || !p.registered) return returned({ code: -500 }); // no msg, connection kept (observed)
    if (pause) p.pause(args.int("pause_seconds", 0));
    else p.resume();
    return ok();
  };
}

const connectRtpServer: Endpoint = async (emu, args) => {
  if (!args.has("stream_id") || !args.has("dst_url") || !args.has("dst_port")) return missingArgs(["stream_id", "dst_url", "dst_port"]);
  const server = emu.servers.get(rtpKey(args).key);
  if (!server) return returned({ code: -1, msg: "can not find the stream" });
  if (server.options.tcpMode !== 2) return returned({ code: -1, msg: "仅支持tcp主动模式" });
  // Network tests stay on loopback: the emulator only dials 127.0.0.0/8 and ::1.
  const host = args.str("dst_url");
  if (!/^127\.|^::1$|^localhost$/.test(host)) return returned({ code: -1, msg: "connection refused" });
  const error = await new Promise<string | null>((resolve) => {
    const sock = net.connect({ host, port: args.uint("dst_port", 16), timeout: 5000 });
    sock.once("connect", () => {
      sock.setTimeout(0);
      server.attachTcp(sock);
      resolve(null);
    });
    sock.once("timeout", () => {
      sock.destroy();
      resolve("timeout");
    });
    sock.once("error", (err) => resolve(errnoText(err)));
  });
  return error ? returned({ code: -1, msg: error }) : ok();
};

export const RTP_ENDPOINTS: Record<string, Endpoint> = {
  openRtpServer: openRtpServer(false),
  openRtpServerMultiplex: openRtpServer(true),
  closeRtpServer,
  listRtpServer,
  getRtpInfo,
  updateRtpServerSSRC,
  pauseRtpCheck: rtpCheck(true),
  resumeRtpCheck: rtpCheck(false),
  connectRtpServer,
};
