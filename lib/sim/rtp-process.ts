import { findSpsPictureSize } from "./h264-sps";
import { parseRtpHeader } from "./rtp-packet";
import type { SimContext } from "./context";
import {
  DEFAULT_VHOST,
  LOOKUP_ORDER,
  REGISTER_ORDER,
  UNREGISTER_ORDER,
  h264Track,
  mediaSourceJson,
  muteAudioTrack,
  type MediaOrigin,
  type MediaSource,
} from "./media-registry";
import type { HookBody } from "./hook-client";

export type DetachReason = "timeout" | "close" | "stream_close" | "publish_refused" | "tcp_disconnect" | "restart";

export interface ProcessIdentity {
  vhost: string;
  app: string;
  streamId: string;
  localIp: string;
  localPort: number;
  ssrcAtOpen: number;
  tcpMode: number;
  reUsePort: boolean;
}

const CHECK_INTERVAL_MS = 3000;
const PS_PACK = Buffer.from([0, 0, 1, 0xba]);

/** Bound on packets held while on_publish is pending (ZLM keeps up to ~10 s of media). */
const MAX_HELD_PACKETS = 8192;

type PublishState = "idle" | "asking" | "allowed" | "refused";

/**
 * One RTP receiver's media side (ZLM's RtpProcess): latches the first sender,
 * asks on_publish, demuxes frames, registers MediaSources when tracks are
 * ready, and runs the 3 s alive check counted from the open.
 */
export class RtpProcess {
  publish: PublishState = "idle";
  private readonly heldPackets: { payload: Buffer; pt: number; marker: boolean }[] = [];
  peer: { address: string; port: number; transport: "udp" | "tcp" } | null = null;
  lastFrameAt: number;
  firstPacketAt: number | null = null;
  totalBytes = 0;
  frames = 0;
  keyFrames = 0;
  sources: MediaSource[] = [];
  hlsRegistered = false;
  private synced = false;
  private streamName: string;
  private lastUnpausedTick: number;
  private pausedForMs = 0;
  private timer: NodeJS.Timeout | null = null;
  private pendingTimers = new Set<NodeJS.Timeout>();
  private speedWindow: { at: number; bytes: number }[] = [];
  private readyScheduled = false;
  /** RtcpContextForRecv's counters: packets, and the extended sequence range they span. */
  /** From the camera's SPS; the recordings' ffmpeg testsrc size until one is seen. */
  private pictureSize: { width: number; height: number } | null = null;
  private readonly seqStats = { packets: 0, base: -1, max: -1, markExpected: 0, markLost: 0 };
  dead = false;

  constructor(
    private readonly ctx: SimContext,
    readonly id: ProcessIdentity,
    readonly openedAt: number,
    private readonly ssrcFilter: () => number,
    /** Called when the receiver decides to die; null for a ghost receiver that nothing can detach. */
    private readonly onDetach: ((reason: DetachReason) => void) | null,
  ) {
    this.lastFrameAt = openedAt;
    this.lastUnpausedTick = openedAt;
    this.streamName = id.streamId;
  }

  get mediaVhost(): string {
    return this.ctx.config("general.enableVhost") === "1" ? this.id.vhost : DEFAULT_VHOST;
  }

  get publishedName(): string {
    return this.streamName;
  }

  get registered(): boolean {
    return this.sources.length > 0;
  }

  start(): void {
    this.scheduleTick(1);
  }

  private scheduleTick(n: number): void {
    const due = this.openedAt + n * CHECK_INTERVAL_MS;
    this.timer = setTimeout(() => {
      this.tick();
      if (!this.dead) this.scheduleTick(n + 1);
    }, Math.max(0, due - this.ctx.now()));
    this.timer.unref?.();
  }

  /** RtpProcess::alive: paused checks resume at the first tick pause_seconds after the last unpaused tick. */
  private tick(): void {
    const now = this.ctx.now();
    if (this.pausedForMs > 0) {
      if (now - this.lastUnpausedTick < this.pausedForMs) return;
      this.pausedForMs = 0;
    } else {
      this.lastUnpausedTick = now;
    }
    const timeoutMs = this.ctx.configNumber("rtp_proxy.timeoutSec", 15) * 1000;
    if (now - this.lastFrameAt < timeoutMs) {
      this.lastUnpausedTick = now;
      return;
    }
    if (this.onDetach) this.onDetach("timeout");
    else void this.ctx.sendHook("on_rtp_server_timeout", this.timeoutHookBody());
  }

  timeoutHookBody(): HookBody {
    return {
      app: this.id.app,
      local_port: this.id.localPort,
      re_use_port: this.id.reUsePort,
      ssrc: this.id.ssrcAtOpen,
      stream_id: this.id.streamId,
      tcp_mode: this.id.tcpMode,
      vhost: this.id.vhost,
    };
  }

  pause(seconds: number): void {
    this.pausedForMs = (seconds > 0 ? seconds : 300) * 1000;
  }

  resume(): void {
    this.pausedForMs = 0;
    this.lastFrameAt = this.ctx.now();
  }

  handlePacket(buf: Buffer, from: { address: string; port: number }, transport: "udp" | "tcp"): void {
    if (this.dead) return;
    const knobs = this.ctx.streamKnobs(this.id.streamId);
    if (knobs.dropPackets) return;
    if (knobs.mediaDelayMs && this.ctx.now() - this.openedAt < knobs.mediaDelayMs) return;
    const rtp = parseRtpHeader(buf);
    if (!rtp) return;
    const filter = this.ssrcFilter();
    if (filter !== 0 && rtp.ssrc !== filter) return; // "ssrc mismatched, rtp dropped"
    if (this.peer && (this.peer.address !== from.address || this.peer.port !== from.port)) return;
    if (!this.peer) this.peer = { ...from, transport };
    if (this.publish === "refused") {
      this.onDetach?.("publish_refused");
      return;
    }
    const now = this.ctx.now();
    this.countSequence(rtp.sequenceNumber);
    this.totalBytes += buf.length;
    this.speedWindow.push({ at: now, bytes: buf.length });
    if (this.firstPacketAt === null) {
      this.firstPacketAt = now;
      void this.askPublish();
    }
    // ZLM buffers what arrives while on_publish is pending and decodes it once allowed;
    // buffered packets do not refresh the frame clock, so a slow hook can still time out.
    if (this.publish !== "allowed") {
      if (this.heldPackets.length < MAX_HELD_PACKETS) {
        this.heldPackets.push({ payload: Buffer.from(buf.subarray(rtp.payloadOffset, rtp.payloadOffset + rtp.payloadLength)), pt: rtp.payloadType, marker: rtp.marker });
      }
      return;
    }
    this.decode(buf.subarray(rtp.payloadOffset, rtp.payloadOffset + rtp.payloadLength), rtp.payloadType, rtp.marker, now);
  }

  private decode(payload: Buffer, pt: number, marker: boolean, now: number): void {
    if (this.ctx.streamKnobs(this.id.streamId).undecodable) return;
    const psPt = this.ctx.configNumber("rtp_proxy.ps_pt", 96);
    let frameDone = false;
    if (pt === psPt) {
      if (payload.subarray(0, 4).equals(PS_PACK)) this.synced = true;
      frameDone = this.synced && marker;
      if (this.synced && payload.includes(Buffer.from([0, 0, 1, 0xbb]))) this.keyFrames++;
    } else if (pt === 33) {
      this.synced = this.synced || payload[0] === 0x47;
      frameDone = this.synced && payload[0] === 0x47;
    }
    if (this.synced && !this.pictureSize) this.pictureSize = findSpsPictureSize(payload);
    if (!frameDone) return;
    this.frames++;
    this.lastFrameAt = now;
    if (!this.readyScheduled) {
      this.readyScheduled = true;
      this.later(this.ctx.knobs.registerDelayMs, () => this.registerSources());
    }
  }

  private async askPublish(): Promise<void> {
    this.publish = "asking";
    const from = this.peer;
    const reply = await this.ctx.sendHook("on_publish", {
      app: this.id.app,
      id: this.id.streamId,
      ip: from?.address ?? "",
      originType: 3,
      originTypeStr: "rtp_push",
      params: "",
      port: from?.port ?? 0,
      protocol: "rtp",
      schema: "rtp",
      stream: this.id.streamId,
      vhost: this.id.vhost,
    });
    if (this.ctx.knobs.publishDelayMs > 0) await new Promise((r) => this.later(this.ctx.knobs.publishDelayMs, () => r(null)));
    if (this.dead) return;
    // Hooks off: allowed. A refusal, or a hook that failed every attempt, refuses the publisher.
    if (reply === null || reply.ok) {
      const replace = reply?.json?.stream_replace;
      if (typeof replace === "string" && replace) this.streamName = replace;
      this.publish = "allowed";
      const held = this.heldPackets.splice(0);
      const at = this.ctx.now();
      for (const p of held) this.decode(p.payload, p.pt, p.marker, at);
    } else {
      this.heldPackets.length = 0;
      this.publish = "refused";
    }
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.pendingTimers.delete(t);
      if (!this.dead) fn();
    }, ms);
    this.pendingTimers.add(t);
  }

  private origin(): MediaOrigin {
    const peer = this.peer;
    return {
      originType: 3,
      originTypeStr: "rtp_push",
      originUrl: `rtp://${this.id.vhost}/${this.id.app}/${this.streamName}`,
      originSock: peer
        ? { identifier: this.id.streamId, local_ip: this.id.localIp, local_port: this.id.localPort, peer_ip: peer.address, peer_port: peer.port }
        : null,
      createStamp: Math.floor(this.openedAt / 1000),
      totalBytes: () => this.totalBytes,
      bytesSpeed: () => this.bytesSpeed(),
      tracks: () => this.tracks(),
      alive: () => !this.dead,
      close: () => this.onDetach?.("stream_close"),
    };
  }

  private bytesSpeed(): number {
    const now = this.ctx.now();
    this.speedWindow = this.speedWindow.filter((s) => now - s.at <= 1000);
    return this.speedWindow.reduce((a, s) => a + s.bytes, 0);
  }

  private tracks() {
    const durationMs = this.firstPacketAt === null ? 0 : this.lastFrameAt - this.firstPacketAt;
    const fps = durationMs > 0 ? (this.frames * 1000) / durationMs : 25;
    const gop = this.keyFrames > 0 ? Math.max(1, Math.round(this.frames / this.keyFrames)) : this.frames;
    // One counter serves both tracks: the first asks, the second reuses its value (WebApi.cpp).
    const loss = this.lossRateInterval();
    return [
      muteAudioTrack(durationMs, loss),
      h264Track({ frames: this.frames, keyFrames: this.keyFrames, durationMs, fps, gopSize: gop, gopIntervalMs: Math.round((gop * 1000) / Math.max(1, fps)), size: this.pictureSize }, loss),
    ];
  }

  private countSequence(seq: number): void {
    const st = this.seqStats;
    st.packets++;
    if (st.base < 0) {
      st.base = st.max = seq;
      return;
    }
    // Extend the 16-bit number around the highest one seen (RFC 3550 A.1, without probation).
    const cycle = st.max - (st.max & 0xffff);
    let ext = cycle + seq;
    if (ext < st.max - 0x8000) ext += 0x10000;
    else if (ext > st.max + 0x8000) ext -= 0x10000;
    if (ext > st.max) st.max = ext;
  }

  /**
   * RtpProcess::getLossRate: loss in percent since the previous call, -1 when no packet was
   * expected since then. A real build answered 0.0 for a loss-free stream polled every few
   * seconds and -1.0 when polled again within a packet interval (recordings).
   */
  private lossRateInterval(): number {
    const st = this.seqStats;
    if (st.base < 0) return -1;
    const expected = st.max - st.base + 1;
    const lost = Math.max(0, expected - st.packets);
    const expectedInterval = expected - st.markExpected;
    const lostInterval = lost - st.markLost;
    st.markExpected = expected;
    st.markLost = lost;
    return expectedInterval > 0 ? (Math.max(0, lostInterval) * 100) / expectedInterval : -1;
  }

  private enabledSchemas(): string[] {
    return REGISTER_ORDER.filter((s) => this.ctx.config(`protocol.enable_${s}`) !== "0");
  }

  private schemaHooked(schema: string): boolean {
    const list = this.ctx.config("hook.stream_changed_schemas");
    return !list || list.split("/").includes(schema);
  }

  private registerSources(): void {
    const origin = this.origin();
    const schemas = this.enabledSchemas();
    for (const schema of schemas) this.registerOne(schema, origin);
    if (this.ctx.config("protocol.enable_hls") !== "0") {
      this.later(this.ctx.knobs.hlsDelayMs, () => {
        this.hlsRegistered = true;
        this.registerOne("hls", origin);
        this.scheduleNoneReader("hls");
      });
    } else if (schemas.length) {
      this.scheduleNoneReader(schemas[schemas.length - 1]);
    }
  }

  /**
   * Nobody ever watches an emulated stream, so on_stream_none_reader comes once,
   * general.streamNoneReaderDelayMS after the last registration, naming that schema
   * (a real build: hls, 10.0 s after the hls regist). `close:true` in the reply (or
   * protocol.auto_close) closes the stream and with it the RtpServer.
   */
  private scheduleNoneReader(schema: string): void {
    this.later(this.ctx.configNumber("general.streamNoneReaderDelayMS", 20000), () => {
      void this.ctx
        .sendHook("on_stream_none_reader", { app: this.id.app, params: "", schema, stream: this.streamName, vhost: this.mediaVhost })
        .then((reply) => {
          if (this.dead) return;
          if (reply?.json?.close === true || this.ctx.config("protocol.auto_close") === "1") this.onDetach?.("stream_close");
        });
    });
  }

  private registerOne(schema: string, origin: MediaOrigin): void {
    const src: MediaSource = { schema, vhost: this.mediaVhost, app: this.id.app, stream: this.streamName, origin, registeredAt: this.ctx.now() };
    // A name still held by the previous stream cannot be taken (code-reading inference, §5.6 case 4).
    if (!this.ctx.media.add(src)) return;
    this.sources.push(src);
    if (this.schemaHooked(schema)) void this.ctx.sendHook("on_stream_changed", { ...mediaSourceJson(src, this.ctx.now()), regist: true });
  }

  /** Looks the stream up like getRtpInfo does (a registered MediaSource with an RTP origin). */
  static lookupOrder = LOOKUP_ORDER;

  /** Stops timers; the media side is torn down separately by `unregisterMedia`. */
  stop(): void {
    this.dead = true;
    if (this.timer) clearTimeout(this.timer);
    for (const t of this.pendingTimers) clearTimeout(t);
    this.pendingTimers.clear();
  }

  /** Destruction of the receiver: on_flow_report, the stray hls registration, then regist=false per schema. */
  async unregisterMedia(): Promise<void> {
    this.stop();
    const flowThresholdBytes = this.ctx.configNumber("general.flowThreshold", 1024) * 1024;
    if (this.firstPacketAt !== null && this.totalBytes >= flowThresholdBytes && this.peer) {
      void this.ctx.sendHook("on_flow_report", {
        app: this.id.app,
        duration: Math.floor((this.ctx.now() - this.firstPacketAt) / 1000),
        id: this.id.streamId,
        ip: this.peer.address,
        params: "",
        player: false,
        port: this.peer.port,
        protocol: this.peer.transport,
        schema: "rtp",
        stream: this.streamName,
        totalBytes: this.totalBytes,
        vhost: this.id.vhost,
      });
    }
    if (this.sources.length > 0 && !this.hlsRegistered && this.ctx.config("protocol.enable_hls") !== "0" && this.schemaHooked("hls")) {
      // Observed: a stream torn down before its first HLS segment emits a stray hls regist=true (originType 0).
      const stray: MediaSource = {
        schema: "hls",
        vhost: this.mediaVhost,
        app: this.id.app,
        stream: this.streamName,
        registeredAt: this.ctx.now(),
        origin: { ...this.origin(), originType: 0, originTypeStr: "unknown", originUrl: `hls://${this.mediaVhost}/${this.id.app}/${this.streamName}`, originSock: null, tracks: () => [] },
      };
      void this.ctx.sendHook("on_stream_changed", { ...mediaSourceJson(stray, this.ctx.now()), isRecordingHLS: false, regist: true });
      this.sources.push(stray);
    }
    const ordered = UNREGISTER_ORDER.flatMap((schema) => this.sources.filter((s) => s.schema === schema));
    for (const src of ordered) {
      this.ctx.media.remove(src);
      if (this.schemaHooked(src.schema)) {
        void this.ctx.sendHook("on_stream_changed", { app: src.app, params: "", regist: false, schema: src.schema, stream: src.stream, vhost: src.vhost });
      }
    }
    this.sources = [];
  }
}
