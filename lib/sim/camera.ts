import dgram from "node:dgram";
import net from "node:net";
import {
  buildH264AccessUnit,
  buildPsVideoFramePayloads,
  buildRtpPacket,
  chunkPayload,
  frameRtpOverTcp,
} from "./rtp-packet";

export interface CameraOptions {
  /** 20-digit GB28181 device/channel id, e.g. 34020000001320000001. */
  id: string;
  /** The SSRC the platform put in the INVITE's SDP. */
  ssrc: number;
  /** Frames per second; default 10 to keep CPU low with many cameras. */
  fps?: number;
  /** Where ZLM listens; default 127.0.0.1. */
  host?: string;
}

export interface CameraStartOptions {
  /** Send over a TCP connection with RFC 4571 framing (ZLM tcp_mode=1) instead of UDP. */
  tcp?: boolean;
  /** "garbage": bare H.264 NALs on PT 96 without PS headers, which ZLM cannot demux. */
  payloadMode?: "ps" | "garbage";
  /** Send with this SSRC instead of the agreed one (an SSRC-filtered server drops it all). */
  ssrcOverride?: number;
}

const PS_PAYLOAD_TYPE = 96;
const RTP_CLOCK_HZ = 90_000;
const KEY_FRAME_INTERVAL_SEC = 2;

/**
 * A GB28181 camera answering an INVITE: sends real RTP to ZLM over UDP, or
 * over one TCP connection, at `fps` until stopped. One socket per session,
 * so ZLM latches a single source address as it would for a real device.
 */
export class SimulatedCamera {
  readonly id: string;
  readonly ssrc: number;
  readonly fps: number;
  readonly host: string;
  packetsSent = 0;
  bytesSent = 0;
  /** Socket errors seen (refused TCP connect, reset); sending stops on a TCP error. */
  errors = 0;
  lastError: string | null = null;

  private udp: dgram.Socket | null = null;
  private tcp: net.Socket | null = null;
  private ticker: NodeJS.Timeout | null = null;
  private frameIndex = 0;
  private sequenceNumber: number;
  private timestampBase: number;

  constructor(opts: CameraOptions) {
    this.id = opts.id;
    this.ssrc = opts.ssrc >>> 0;
    this.fps = Math.max(1, opts.fps ?? 10);
    this.host = opts.host ?? "127.0.0.1";
    // RFC 3550 wants random starting values; derived from the SSRC keeps runs reproducible.
    this.sequenceNumber = this.ssrc & 0xffff;
    this.timestampBase = Math.imul(this.ssrc, 2654435761) >>> 0;
  }

  get isSending(): boolean {
    return this.ticker !== null;
  }

  /** The local UDP port this session sends from (what ZLM latches as the peer), null before start or over TCP. */
  get localPort(): number | null {
    try {
      return this.udp?.address().port ?? null;
    } catch {
      return null; // not bound yet: the first send binds it
    }
  }

  /** Starts a sending session to `targetPort`; a session already running is stopped first. */
  start(targetPort: number, opts: CameraStartOptions = {}): void {
    this.stop();
    const ssrc = (opts.ssrcOverride ?? this.ssrc) >>> 0;
    const garbage = opts.payloadMode === "garbage";
    let send: (packet: Buffer) => void;
    if (opts.tcp) {
      const sock = net.connect({ host: this.host, port: targetPort });
      sock.setNoDelay(true);
      sock.on("error", (err) => {
        this.noteError(err);
        if (this.tcp === sock) this.stop();
      });
      // ZLM ends the server when the connection goes, so a closed peer ends the session too.
      sock.on("close", () => {
        if (this.tcp === sock) this.stop();
      });
      this.tcp = sock;
      // Writes before "connect" are queued by node and flushed once connected.
      send = (packet) => {
        if (!sock.writable) return;
        sock.write(frameRtpOverTcp(packet));
        this.count(packet);
      };
    } else {
      const sock = dgram.createSocket("udp4");
      sock.on("error", (err) => this.noteError(err));
      this.udp = sock;
      send = (packet) => {
        sock.send(packet, targetPort, this.host, (err) => {
          if (err) this.noteError(err);
        });
        this.count(packet);
      };
    }
    const sendFrame = () => {
      const timestamp = (this.timestampBase + Math.round((this.frameIndex * RTP_CLOCK_HZ) / this.fps)) >>> 0;
      const keyFrameInterval = this.fps * KEY_FRAME_INTERVAL_SEC;
      const payloads = garbage
        ? chunkPayload(buildH264AccessUnit(this.frameIndex, keyFrameInterval))
        : buildPsVideoFramePayloads(this.frameIndex, { keyFrameInterval, pts: timestamp });
      payloads.forEach((payload, i) => {
        send(
          buildRtpPacket({
            payloadType: PS_PAYLOAD_TYPE,
            sequenceNumber: this.sequenceNumber,
            timestamp,
            ssrc,
            marker: i === payloads.length - 1,
            payload,
          }),
        );
        this.sequenceNumber = (this.sequenceNumber + 1) & 0xffff;
      });
      this.frameIndex++;
    };
    this.frameIndex = 0; // each session starts with a key frame, as after an INVITE
    sendFrame();
    this.ticker = setInterval(sendFrame, 1000 / this.fps);
  }

  /** Stops sending and closes the socket; a TCP connection is ended with a FIN, not a reset. */
  stop(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
    const udp = this.udp;
    this.udp = null;
    if (udp) {
      try {
        udp.close();
      } catch (err) {
        this.noteError(err); // already closed by an error
      }
    }
    const tcp = this.tcp;
    this.tcp = null;
    // destroySoon = end() (FIN) then destroy once our queued writes are flushed.
    if (tcp && !tcp.destroyed) tcp.destroySoon();
  }

  private count(packet: Buffer): void {
    this.packetsSent++;
    this.bytesSent += packet.length;
  }

  private noteError(err: unknown): void {
    this.errors++;
    this.lastError = err instanceof Error ? err.message : String(err);
  }
}
