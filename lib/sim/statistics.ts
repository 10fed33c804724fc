import type { ApiContext } from "./api/api-context";

/**
 * getStatistic's 16 object counters (observed names). ZLM counts live C++
 * objects; the emulator derives plausible counts from its own state so that
 * Socket/UdpServer/TcpServer move with open servers like ZLM's do (#2245).
 */
export function statisticCounters(emu: Pick<ApiContext, "servers" | "ghosts" | "media">): Record<string, number> {
  let udp = 0;
  let tcp = 0;
  let processes = 0;
  for (const s of emu.servers.values()) {
    udp += 2;
    if (s.options.tcpMode === 1) tcp += 1;
    processes += s.processes.length;
  }
  udp += emu.ghosts.length * 2;
  const media = emu.media.size;
  const registered = [...emu.servers.values()].reduce((n, s) => n + s.processes.filter((p) => p.registered).length, 0);
  return {
    Buffer: 64 + media * 40,
    BufferLikeString: 1 + media * 4,
    BufferList: 0,
    BufferRaw: 63 + media * 20,
    Frame: registered * 35,
    FrameImp: registered * 20,
    MediaSource: media,
    MultiMediaSourceMuxer: registered,
    RtmpPacket: registered * 40,
    RtpPacket: processes * 12,
    Socket: 11 + udp + tcp,
    TcpClient: 0,
    TcpServer: 12 + tcp,
    TcpSession: 1,
    UdpServer: 3 + udp,
    UdpSession: 0,
  };
}
