import { describe, expect, it } from "vitest";
import {
  RtpTcpDeframer,
  buildH264AccessUnit,
  buildPsVideoFramePayloads,
  buildRtpPacket,
  frameRtpOverTcp,
  isPsPackStart,
  mpegCrc32,
  parseRtpHeader,
} from "./rtp-packet";

const startCode = (id: number) => Buffer.from([0, 0, 1, id]);

describe("parseRtpHeader / buildRtpPacket", () => {
  it("round-trips every field, with the SSRC unsigned", () => {
    const payload = Buffer.from("hello");
    const pkt = buildRtpPacket({ payloadType: 96, sequenceNumber: 65535, timestamp: 0xfffffff0, ssrc: 0xdeadbeef, marker: true, payload });
    const h = parseRtpHeader(pkt);
    expect(h).toEqual({
      version: 2,
      padding: false,
      extension: false,
      csrcCount: 0,
      marker: true,
      payloadType: 96,
      sequenceNumber: 65535,
      timestamp: 0xfffffff0,
      ssrc: 0xdeadbeef,
      payloadOffset: 12,
      payloadLength: 5,
    });
    expect(pkt.subarray(h!.payloadOffset, h!.payloadOffset + h!.payloadLength)).toEqual(payload);
  });

  it("wraps the sequence number to 16 bits and leaves the marker off by default", () => {
    const h = parseRtpHeader(buildRtpPacket({ payloadType: 33, sequenceNumber: 65536 + 7, timestamp: 1, ssrc: 1, payload: Buffer.alloc(0) }));
    expect(h?.sequenceNumber).toBe(7);
    expect(h?.marker).toBe(false);
  });

  it("skips CSRCs and the extension header, and strips padding", () => {
    const pkt = Buffer.concat([
      Buffer.from([0xb2, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]), // V=2 P=1 X=1 CC=2, PT 96
      Buffer.alloc(8), // two CSRCs
      Buffer.from([0xbe, 0xde, 0, 1]), // extension header, one 32-bit word
      Buffer.alloc(4),
      Buffer.from("abc"),
      Buffer.from([0, 0, 3]), // three bytes of padding
    ]);
    expect(parseRtpHeader(pkt)).toMatchObject({ padding: true, extension: true, csrcCount: 2, payloadOffset: 28, payloadLength: 3 });
  });

  it("returns null for malformed packets", () => {
    const good = buildRtpPacket({ payloadType: 96, sequenceNumber: 1, timestamp: 1, ssrc: 1, payload: Buffer.from("xy") });
    expect(parseRtpHeader(good.subarray(0, 11))).toBeNull(); // short
    const v1 = Buffer.from(good);
    v1[0] = 0x40;
    expect(parseRtpHeader(v1)).toBeNull(); // version 1
    const csrcOverflow = Buffer.from(good);
    csrcOverflow[0] = 0x80 | 0x0f; // 15 CSRCs = 60 bytes that are not there
    expect(parseRtpHeader(csrcOverflow)).toBeNull();
    const extOverflow = Buffer.concat([Buffer.from(good.subarray(0, 12)), Buffer.from([0xbe, 0xde, 0, 9])]);
    extOverflow[0] = 0x90;
    expect(parseRtpHeader(extOverflow)).toBeNull();
    const zeroPad = Buffer.concat([good, Buffer.from([0])]);
    zeroPad[0] = 0xa0;
    expect(parseRtpHeader(zeroPad)).toBeNull(); // padding count 0
    const bigPad = Buffer.concat([good, Buffer.from([200])]);
    bigPad[0] = 0xa0;
    expect(parseRtpHeader(bigPad)).toBeNull(); // padding longer than the packet
  });
});

describe("RTP over TCP", () => {
  const packets = [1, 2, 3].map((n) =>
    buildRtpPacket({ payloadType: 96, sequenceNumber: n, timestamp: n * 3600, ssrc: 42, payload: Buffer.alloc(100 * n, n) }),
  );
  const stream = Buffer.concat(packets.map(frameRtpOverTcp));

  it("prefixes the packet length big-endian", () => {
    const framed = frameRtpOverTcp(packets[0]);
    expect(framed.readUInt16BE(0)).toBe(packets[0].length);
    expect(framed.subarray(2)).toEqual(packets[0]);
  });

  it("reassembles packets split across chunks", () => {
    for (const size of [1, 2, 3, 7, 113]) {
      const deframer = new RtpTcpDeframer();
      const out: Buffer[] = [];
      for (let at = 0; at < stream.length; at += size) out.push(...deframer.push(stream.subarray(at, at + size)));
      expect(out).toEqual(packets);
      expect(deframer.bufferedBytes).toBe(0);
    }
  });

  it("splits merged chunks and keeps a trailing partial packet", () => {
    const deframer = new RtpTcpDeframer();
    const cut = stream.length - 50;
    expect(deframer.push(stream.subarray(0, cut))).toEqual(packets.slice(0, 2));
    expect(deframer.bufferedBytes).toBeGreaterThan(0);
    expect(deframer.push(stream.subarray(cut))).toEqual([packets[2]]);
  });

  it("also reads $-interleaved framing, as ZLM does", () => {
    const interleaved = Buffer.concat(packets.map((p) => Buffer.concat([Buffer.from([0x24, 0, p.length >> 8, p.length & 0xff]), p])));
    expect(new RtpTcpDeframer().push(interleaved)).toEqual(packets);
  });
});

describe("MPEG-PS payloads", () => {
  it("a key frame holds pack header, system header, PSM, then a PES with SPS, PPS and IDR", () => {
    const chunks = buildPsVideoFramePayloads(0);
    const all = Buffer.concat(chunks);
    expect(isPsPackStart(chunks[0])).toBe(true);
    expect(chunks.slice(1).some(isPsPackStart)).toBe(false);
    const at = (id: number) => all.indexOf(startCode(id));
    expect(at(0xbb)).toBe(14);
    expect(at(0xbc)).toBeGreaterThan(at(0xbb));
    expect(at(0xe0)).toBeGreaterThan(at(0xbc));
    const es = all.subarray(at(0xe0) + 14);
    expect(all.readUInt16BE(at(0xe0) + 4)).toBe(8 + es.length); // PES length covers the rest of the frame
    expect([...es.subarray(0, 5)]).toEqual([0, 0, 0, 1, 0x67]);
    expect(es.indexOf(Buffer.from([0, 0, 0, 1, 0x68]))).toBeGreaterThan(0);
    expect(es.indexOf(Buffer.from([0, 0, 0, 1, 0x65]))).toBeGreaterThan(0);
    expect(all.length).toBeGreaterThan(2000);
    expect(all.length).toBeLessThan(6200);
  });

  it("the PSM carries a valid CRC-32/MPEG-2", () => {
    const all = Buffer.concat(buildPsVideoFramePayloads(0));
    const psm = all.subarray(all.indexOf(startCode(0xbc)));
    const length = 6 + psm.readUInt16BE(4);
    expect(mpegCrc32(psm.subarray(0, length))).toBe(0); // CRC over data + CRC is 0
  });

  it("a non-key frame has a pack header and a PES with a 0x41 slice, no system header or PSM", () => {
    const all = Buffer.concat(buildPsVideoFramePayloads(3, { keyFrameInterval: 25 }));
    expect(isPsPackStart(all)).toBe(true);
    expect(all.indexOf(startCode(0xbb))).toBe(-1);
    expect(all.indexOf(startCode(0xbc))).toBe(-1);
    expect(all.indexOf(startCode(0xe0))).toBe(14);
    expect([...all.subarray(28, 33)]).toEqual([0, 0, 0, 1, 0x41]);
    expect(all.length).toBeGreaterThan(1800);
  });

  it("honours maxPayload and keyFrameInterval", () => {
    const chunks = buildPsVideoFramePayloads(10, { keyFrameInterval: 5, maxPayload: 500 });
    expect(chunks.every((c) => c.length <= 500)).toBe(true);
    expect(Buffer.concat(chunks).indexOf(startCode(0xbb))).toBe(14);
  });

  it("frame filler never fakes a start code", () => {
    const au = buildH264AccessUnit(1);
    expect(au.indexOf(Buffer.from([0, 0, 1]), 4)).toBe(-1);
    expect(isPsPackStart(au)).toBe(false);
  });
});
