import dgram from "node:dgram";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { SimulatedCamera } from "./camera";
import { RtpTcpDeframer, isPsPackStart, parseRtpHeader, type RtpHeader } from "./rtp-packet";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanups.splice(0)) fn();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function udpReceiver(): Promise<{ port: number; packets: Buffer[] }> {
  const sock = dgram.createSocket("udp4");
  const packets: Buffer[] = [];
  sock.on("message", (m) => packets.push(m));
  await new Promise<void>((r) => sock.bind(0, "127.0.0.1", r));
  cleanups.push(() => sock.close());
  return { port: sock.address().port, packets };
}

function camera(fps = 20): SimulatedCamera {
  const cam = new SimulatedCamera({ id: "34020000001320000001", ssrc: 200000001, fps });
  cleanups.push(() => cam.stop());
  return cam;
}

describe("SimulatedCamera", () => {
  it("sends PS frames over UDP with the agreed SSRC, 90 kHz timestamps and a marker per frame", async () => {
    const rx = await udpReceiver();
    const cam = camera();
    cam.start(rx.port);
    expect(cam.isSending).toBe(true);
    await sleep(300);
    cam.stop();
    expect(cam.isSending).toBe(false);
    await sleep(50);
    const headers = rx.packets.map(parseRtpHeader).filter((h): h is RtpHeader => h !== null);
    expect(headers.length).toBe(rx.packets.length);
    expect(headers.length).toBe(cam.packetsSent);
    expect(rx.packets.reduce((n, p) => n + p.length, 0)).toBe(cam.bytesSent);
    expect(headers.every((h) => h.ssrc === 200000001 && h.payloadType === 96)).toBe(true);
    for (let i = 1; i < headers.length; i++) expect(headers[i].sequenceNumber).toBe((headers[i - 1].sequenceNumber + 1) & 0xffff);
    const frameEnds = headers.filter((h) => h.marker);
    expect(frameEnds.length).toBeGreaterThanOrEqual(3);
    expect((frameEnds[1].timestamp - frameEnds[0].timestamp) >>> 0).toBe(4500); // 90 kHz / 20 fps
    const payload = (i: number) => rx.packets[i].subarray(headers[i].payloadOffset);
    expect(isPsPackStart(payload(0))).toBe(true);
    const afterMarker = headers.findIndex((h) => h.marker) + 1;
    expect(isPsPackStart(payload(afterMarker))).toBe(true);
  });

  it("misbehaves on request: wrong SSRC and payload without PS headers", async () => {
    const rx = await udpReceiver();
    const cam = camera();
    cam.start(rx.port, { payloadMode: "garbage", ssrcOverride: 999 });
    await sleep(150);
    cam.stop();
    await sleep(50);
    const first = rx.packets[0];
    const h = parseRtpHeader(first);
    expect(h?.ssrc).toBe(999);
    expect(rx.packets.some((p) => isPsPackStart(p.subarray(12)))).toBe(false);
    expect([...first.subarray(12, 17)]).toEqual([0, 0, 0, 1, 0x67]);
  });

  it("sends RFC 4571 framed RTP over TCP and closes with a FIN", async () => {
    const received: Buffer[] = [];
    let sawEnd = false;
    let sawReset = false;
    const server = net.createServer((sock) => {
      const deframer = new RtpTcpDeframer();
      sock.on("data", (c: Buffer) => received.push(...deframer.push(c)));
      sock.on("end", () => (sawEnd = true));
      sock.on("error", () => (sawReset = true));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    cleanups.push(() => server.close());
    const port = (server.address() as net.AddressInfo).port;
    const cam = camera();
    cam.start(port, { tcp: true });
    await sleep(250);
    cam.stop();
    await sleep(100);
    expect(received.length).toBe(cam.packetsSent);
    expect(received.every((p) => parseRtpHeader(p)?.ssrc === 200000001)).toBe(true);
    expect(sawEnd).toBe(true);
    expect(sawReset).toBe(false);
  });

  it("stops by itself when the TCP peer refuses the connection", async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const cam = camera();
    cam.start(port, { tcp: true });
    await sleep(200);
    expect(cam.isSending).toBe(false);
    expect(cam.errors).toBeGreaterThan(0);
  });
});
