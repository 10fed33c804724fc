/**
 * RTP (RFC 3550) packets, RTP over TCP framing (RFC 4571), and the MPEG-PS
 * payload a GB28181 camera sends. Pure: no sockets, no clocks.
 */

export interface RtpHeader {
  version: number;
  padding: boolean;
  extension: boolean;
  csrcCount: number;
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  /** Where the payload starts, after CSRCs and the extension header. */
  payloadOffset: number;
  /** Payload bytes, without the trailing padding. */
  payloadLength: number;
}

const FIXED_HEADER = 12;

/** Parses an RTP header; null unless version 2 and everything the header announces fits in `buf`. */
export function parseRtpHeader(buf: Buffer): RtpHeader | null {
  if (buf.length < FIXED_HEADER) return null;
  const b0 = buf[0];
  const b1 = buf[1];
  if (b0 >> 6 !== 2) return null;
  const padding = (b0 & 0x20) !== 0;
  const extension = (b0 & 0x10) !== 0;
  const csrcCount = b0 & 0x0f;
  let offset = FIXED_HEADER + 4 * csrcCount;
  if (offset > buf.length) return null;
  if (extension) {
    if (offset + 4 > buf.length) return null;
    offset += 4 + 4 * buf.readUInt16BE(offset + 2);
    if (offset > buf.length) return null;
  }
  let padLength = 0;
  if (padding) {
    // The last byte counts itself, so 0 is invalid, and padding may not eat into the header.
    padLength = buf[buf.length - 1];
    if (padLength === 0 || offset + padLength > buf.length) return null;
  }
  return {
    version: 2,
    padding,
    extension,
    csrcCount,
    marker: (b1 & 0x80) !== 0,
    payloadType: b1 & 0x7f,
    sequenceNumber: buf.readUInt16BE(2),
    timestamp: buf.readUInt32BE(4),
    ssrc: buf.readUInt32BE(8),
    payloadOffset: offset,
    payloadLength: buf.length - offset - padLength,
  };
}

/** A version 2 packet with no CSRCs, extension or padding; numbers are wrapped to their field widths. */
export function buildRtpPacket(p: {
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  marker?: boolean;
  payload: Buffer;
}): Buffer {
  const header = Buffer.alloc(FIXED_HEADER);
  header[0] = 0x80;
  header[1] = (p.marker ? 0x80 : 0) | (p.payloadType & 0x7f);
  header.writeUInt16BE(p.sequenceNumber & 0xffff, 2);
  header.writeUInt32BE(p.timestamp >>> 0, 4);
  header.writeUInt32BE(p.ssrc >>> 0, 8);
  return Buffer.concat([header, p.payload]);
}

/** RFC 4571: a 2-byte big-endian length before each packet, as ZLM's tcp_mode=1 listener accepts. */
export function frameRtpOverTcp(packet: Buffer): Buffer {
  if (packet.length > 0xffff) throw new RangeError(`RTP packet of ${packet.length} bytes does not fit RFC 4571 framing`);
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16BE(packet.length, 0);
  return Buffer.concat([prefix, packet]);
}

/**
 * Cuts a TCP byte stream back into RTP packets, whatever the chunking.
 * Like ZLM's RtpSplitter it also reads RTSP-style `$`-interleaved frames, until
 * the first packet that does not start with `$` latches it to RFC 4571.
 */
export class RtpTcpDeframer {
  private pending: Buffer = Buffer.alloc(0);
  private maybeInterleaved = true;

  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const packets: Buffer[] = [];
    let at = 0;
    for (;;) {
      if (at >= this.pending.length) break;
      if (this.pending[at] !== 0x24) this.maybeInterleaved = false;
      const interleaved = this.maybeInterleaved;
      const headerLength = interleaved ? 4 : 2;
      if (this.pending.length - at < headerLength) break;
      const length = this.pending.readUInt16BE(at + headerLength - 2);
      if (this.pending.length - at < headerLength + length) break;
      if (length > 0) packets.push(Buffer.from(this.pending.subarray(at + headerLength, at + headerLength + length)));
      at += headerLength + length;
    }
    // Copy the short remainder so a big merged chunk is not kept alive by it.
    this.pending = at === 0 ? this.pending : Buffer.from(this.pending.subarray(at));
    return packets;
  }

  /** Bytes received but not yet a whole packet. */
  get bufferedBytes(): number {
    return this.pending.length;
  }
}

const PS_PACK_START = Buffer.from([0x00, 0x00, 0x01, 0xba]);

export function isPsPackStart(payload: Buffer): boolean {
  return payload.length >= 4 && payload.subarray(0, 4).equals(PS_PACK_START);
}

export interface VideoFrameOptions {
  /** A key frame (IDR, with SPS/PPS and the PS system header + PSM) every this many frames; default 25. */
  keyFrameInterval?: number;
  /** Largest RTP payload chunk; default 1400 so packets stay under a typical MTU. */
  maxPayload?: number;
  /** 90 kHz presentation time; default frameIndex * 3600 (25 fps). */
  pts?: number;
}

// 640x480 baseline profile level 3.0, and a matching PPS: enough for a real ZLM to name the track.
const SPS = Buffer.from([0x67, 0x42, 0x00, 0x1e, 0x95, 0xa8, 0x28, 0x0f, 0x64]);
const PPS = Buffer.from([0x68, 0xce, 0x38, 0x80]);
const START_CODE = Buffer.from([0x00, 0x00, 0x00, 0x01]);

export function isKeyFrame(frameIndex: number, keyFrameInterval = 25): boolean {
  return frameIndex % Math.max(1, keyFrameInterval) === 0;
}

/**
 * One synthetic H.264 access unit in Annex-B form. The filler never holds a
 * zero byte, so it cannot fake a start code; 0x88 after the NAL header means
 * first_mb_in_slice = 0, which is how ZLM spots the start of a new frame.
 */
export function buildH264AccessUnit(frameIndex: number, keyFrameInterval = 25): Buffer {
  const key = isKeyFrame(frameIndex, keyFrameInterval);
  const size = key ? 4800 + (frameIndex % 7) * 150 : 1800 + ((frameIndex * 373) % 1700);
  const slice = Buffer.alloc(size);
  slice[0] = key ? 0x65 : 0x41;
  slice[1] = 0x88;
  for (let i = 2; i < size; i++) slice[i] = 1 + ((i * 31 + frameIndex * 7) % 253);
  const parts = key ? [START_CODE, SPS, START_CODE, PPS, START_CODE, slice] : [START_CODE, slice];
  return Buffer.concat(parts);
}

/** Cuts a byte run into RTP payloads of at most `maxPayload` bytes. */
export function chunkPayload(data: Buffer, maxPayload = 1400): Buffer[] {
  const step = Math.max(1, Math.floor(maxPayload));
  const chunks: Buffer[] = [];
  for (let at = 0; at < data.length; at += step) chunks.push(data.subarray(at, Math.min(data.length, at + step)));
  return chunks;
}

/** Payload chunks (PT 96, MPEG-PS as GB28181 cameras send it) for one synthetic H.264 frame. */
export function buildPsVideoFramePayloads(frameIndex: number, opts: VideoFrameOptions = {}): Buffer[] {
  const keyFrameInterval = opts.keyFrameInterval ?? 25;
  const pts = (opts.pts ?? frameIndex * 3600) % 2 ** 33;
  const key = isKeyFrame(frameIndex, keyFrameInterval);
  const parts = [psPackHeader(pts)];
  if (key) parts.push(PS_SYSTEM_HEADER, psMap());
  parts.push(pesVideoPacket(buildH264AccessUnit(frameIndex, keyFrameInterval), pts));
  return chunkPayload(Buffer.concat(parts), opts.maxPayload ?? 1400);
}

/** MPEG-2 pack header: start code, SCR (= PTS, extension 0), mux rate, no stuffing. */
function psPackHeader(scr: number): Buffer {
  const b = Buffer.alloc(14);
  PS_PACK_START.copy(b, 0);
  const high = Math.floor(scr / 2 ** 30) & 0x07; // bits 32..30 do not fit JS bit operations
  const low = scr % 2 ** 30;
  b[4] = 0x40 | (high << 3) | 0x04 | ((low >>> 28) & 0x03);
  b[5] = (low >>> 20) & 0xff;
  b[6] = (((low >>> 15) & 0x1f) << 3) | 0x04 | ((low >>> 13) & 0x03);
  b[7] = (low >>> 5) & 0xff;
  b[8] = ((low & 0x1f) << 3) | 0x04; // SCR extension is 0
  b[9] = 0x01;
  const muxRate = 6106; // units of 50 bytes/s, a typical camera value
  b[10] = (muxRate >>> 14) & 0xff;
  b[11] = (muxRate >>> 6) & 0xff;
  b[12] = ((muxRate & 0x3f) << 2) | 0x03;
  b[13] = 0xf8; // reserved bits, stuffing length 0
  return b;
}

// System header with one video stream (0xE0); key frames carry it, as cameras do.
const PS_SYSTEM_HEADER = Buffer.from([
  0x00, 0x00, 0x01, 0xbb, 0x00, 0x09, 0x80, 0xcc, 0xf5, 0x00, 0xe1, 0x7f, 0xe0, 0xe0, 0xe8,
]);

/** Program stream map naming stream 0xE0 as H.264 (stream_type 0x1B), with its CRC. */
function psMap(): Buffer {
  const body = Buffer.from([
    0x00, 0x00, 0x01, 0xbc, 0x00, 0x0e, 0xe0, 0xff, 0x00, 0x00, 0x00, 0x04, 0x1b, 0xe0, 0x00, 0x00,
  ]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(mpegCrc32(body), 0);
  return Buffer.concat([body, crc]);
}

/** PES packet for video stream 0xE0 with a PTS. */
function pesVideoPacket(es: Buffer, pts: number): Buffer {
  const header = Buffer.alloc(14);
  header.writeUInt32BE(0x000001e0, 0);
  header.writeUInt16BE(3 + 5 + es.length, 4);
  header[6] = 0x80; // '10' marker, not scrambled
  header[7] = 0x80; // PTS only
  header[8] = 5;
  const high = Math.floor(pts / 2 ** 30) & 0x07;
  const low = pts % 2 ** 30;
  header[9] = 0x20 | (high << 1) | 0x01;
  header.writeUInt16BE((((low >>> 15) & 0x7fff) << 1) | 0x01, 10);
  header.writeUInt16BE(((low & 0x7fff) << 1) | 0x01, 12);
  return Buffer.concat([header, es]);
}

/** CRC-32/MPEG-2 (poly 0x04C11DB7, init all ones, no reflection, no final xor). */
export function mpegCrc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte << 24;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  }
  return crc >>> 0;
}
