import dgram from "node:dgram";
import http from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startSimulatedPlatform } from "./platform";
import { parseRtpHeader, type RtpHeader } from "./rtp-packet";

/** A tiny stand-in for ZLM: real HTTP, real UDP ports, a registry keyed by app/stream_id. */
interface FakeRtpServer {
  port: number;
  ssrc: number;
  sock: dgram.Socket;
  packets: RtpHeader[];
}

interface FakeZlm {
  url: string;
  calls: { name: string; query: URLSearchParams }[];
  servers: Map<string, FakeRtpServer>;
  /** Every RTP packet received on any port, by stream id (outlives closed servers). */
  received: Map<string, RtpHeader[]>;
  close(): Promise<void>;
}

const SECRET = "fake-secret";

async function startFakeZlm(opts: { refuseOpens?: boolean } = {}): Promise<FakeZlm> {
  const calls: FakeZlm["calls"] = [];
  const servers = new Map<string, FakeRtpServer>();
  const received = new Map<string, RtpHeader[]>();
  const answer = async (name: string, q: URLSearchParams): Promise<Record<string, unknown>> => {
    if (q.get("secret") !== SECRET) return { code: -100, msg: "Incorrect secret" };
    const streamId = q.get("stream_id") ?? "";
    const key = `${q.get("app") ?? "rtp"}/${streamId}`;
    switch (name) {
      case "openRtpServer": {
        if (opts.refuseOpens || servers.has(key)) return { code: -300, msg: "This stream already exists" };
        const sock = dgram.createSocket("udp4");
        await new Promise<void>((r) => sock.bind(0, "127.0.0.1", r));
        const server: FakeRtpServer = { port: sock.address().port, ssrc: Number(q.get("ssrc") ?? 0), sock, packets: [] };
        sock.on("message", (msg) => {
          const h = parseRtpHeader(msg);
          if (!h) return;
          server.packets.push(h);
          received.set(streamId, [...(received.get(streamId) ?? []), h]);
        });
        servers.set(key, server);
        return { code: 0, port: server.port };
      }
      case "closeRtpServer": {
        const server = servers.get(key);
        server?.sock.close();
        servers.delete(key);
        return { code: 0, hit: server ? 1 : 0 };
      }
      case "getRtpInfo": {
        const server = servers.get(key);
        if (!server || server.packets.length === 0) return { code: 0, exist: false };
        return { code: 0, exist: true, local_port: server.port, peer_ip: "127.0.0.1" };
      }
      case "listRtpServer": {
        const data = [...servers.entries()].map(([k, s]) => ({ stream_id: k.split("/")[1], port: s.port, ssrc: s.ssrc, tcp_mode: 0 }));
        return data.length ? { code: 0, data } : { code: 0 };
      }
      default:
        return { code: -500, msg: "not implemented by the fake" };
    }
  };
  const httpServer = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const name = url.pathname.replace("/index/api/", "");
    calls.push({ name, query: url.searchParams });
    void answer(name, url.searchParams).then((body) => {
      res.setHeader("Content-Type", "application/json; charset=utf-8");
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => httpServer.listen(0, "127.0.0.1", r));
  const { port } = httpServer.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    servers,
    received,
    async close() {
      for (const s of servers.values()) s.sock.close();
      servers.clear();
      httpServer.closeAllConnections();
      await new Promise((r) => httpServer.close(r));
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(50);
  }
}

/** Resources that keep the event loop alive, by type (Timeout, UDPWrap, TCPSocketWrap, ...). */
function liveResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe("startSimulatedPlatform", () => {
  it("opens a server per camera the wvp way and its cameras send real RTP to the returned ports", async () => {
    const before = liveResources();
    const zlm = await startFakeZlm();
    const lines: string[] = [];
    const platform = startSimulatedPlatform({ zlmUrl: zlm.url, secret: SECRET, cameras: 2, seed: 7, timeoutSec: 3, logger: (l) => lines.push(l) });
    cleanups.push(() => zlm.close(), () => platform.stop());
    const ids = ["34020000001320000001", "34020000001320000002"];
    await until(() => ids.every((id) => (zlm.received.get(id)?.length ?? 0) >= 10), 5000);

    const opens = zlm.calls.filter((c) => c.name === "openRtpServer");
    expect(opens.map((c) => c.query.get("stream_id")).sort()).toEqual(ids);
    for (const c of opens) expect(Object.fromEntries(c.query)).toMatchObject({ secret: SECRET, port: "0", tcp_mode: "0" });
    // wvp asks getRtpInfo before each open.
    for (const id of ids) {
      const forId = zlm.calls.filter((c) => c.query.get("stream_id") === id).map((c) => c.name);
      expect(forId.slice(0, 2)).toEqual(["getRtpInfo", "openRtpServer"]);
    }
    for (const id of ids) {
      const server = zlm.servers.get(`rtp/${id}`);
      expect(server).toBeDefined();
      expect(server?.packets.length).toBeGreaterThanOrEqual(10);
      expect(server?.packets.every((h) => h.ssrc === server.ssrc && h.payloadType === 96)).toBe(true);
    }
    expect(platform.stats()).toMatchObject({ plays: 2, opens: 2, openFailures: {}, camerasSending: 2 });

    await platform.stop();
    expect(platform.stats().camerasSending).toBe(0);
    const counted = ids.map((id) => zlm.received.get(id)?.length ?? 0);
    const callsAtStop = zlm.calls.length;
    await sleep(300);
    expect(ids.map((id) => zlm.received.get(id)?.length ?? 0)).toEqual(counted); // nothing sent after stop
    expect(zlm.calls.length).toBe(callsAtStop); // and no more API calls
    await zlm.close();
    await sleep(50);
    // No socket or timer of the platform, its cameras or the fake survives: the process can exit.
    const after = liveResources();
    for (const type of ["Timeout", "UDPWrap", "TCPSocketWrap", "TCPServerWrap"]) {
      expect(after[type] ?? 0, type).toBeLessThanOrEqual(before[type] ?? 0);
    }
  });

  it("counts and logs failed opens without throwing, and survives an unreachable ZLM", async () => {
    const zlm = await startFakeZlm({ refuseOpens: true });
    const lines: string[] = [];
    const refused = startSimulatedPlatform({ zlmUrl: zlm.url, secret: SECRET, cameras: 1, seed: 1, timeoutSec: 1, logger: (l) => lines.push(l) });
    // A port nothing listens on: every call fails at the transport level.
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const deadPort = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const unreachable = startSimulatedPlatform({ zlmUrl: `http://127.0.0.1:${deadPort}`, secret: SECRET, cameras: 1, seed: 1, timeoutSec: 1 });
    cleanups.push(() => zlm.close(), () => refused.stop(), () => unreachable.stop());

    await until(() => (refused.stats().openFailures["-300 This stream already exists"] ?? 0) >= 1, 3000);
    expect(lines.some((l) => l.includes("openRtpServer 34020000001320000001 -> -300 This stream already exists"))).toBe(true);
    expect(refused.stats().camerasSending).toBe(0);
    await until(() => Object.keys(unreachable.stats().openFailures).some((k) => k.startsWith("network ")), 3000);
    expect(unreachable.stats().camerasSending).toBe(0);
    await Promise.all([refused.stop(), unreachable.stop()]);
  });
});
