import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { startEmulator, type Emulator } from "./emulator";
import { zlmDate } from "./http-api";
import { zlmCall } from "../testing/zlm-call";

/**
 * Wire-level facts seen on a real ZLM build (fdaec26, docs/real-zlm-check.md): response and
 * hook request headers in a case-insensitive sorted order, Content-Length not chunked, ZLM's
 * own date format, keep-alive announced even when the connection is then closed, CORS only
 * for a request with Origin, and the pool refusing a pair whose TCP port is taken.
 */
const SECRET = "wire-secret";

interface RawResponse {
  statusLine: string;
  headers: [string, string][];
  body: string;
  closedByServer: boolean;
}

/** One request over a raw socket, so header order and connection state are visible. */
function rawGet(port: number, target: string, extra: Record<string, string> = {}, method = "GET"): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, "127.0.0.1");
    let buf = Buffer.alloc(0);
    let parsed: Omit<RawResponse, "closedByServer"> | null = null;
    let settleTimer: NodeJS.Timeout | null = null;
    const finish = (closed: boolean) => {
      if (settleTimer) clearTimeout(settleTimer);
      if (!parsed) return reject(new Error("no complete answer"));
      sock.destroy();
      resolve({ ...parsed, closedByServer: closed });
    };
    sock.on("data", (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      const end = buf.indexOf("\r\n\r\n");
      if (end < 0 || parsed) return;
      const lines = buf.subarray(0, end).toString("utf8").split("\r\n");
      const headers = lines.slice(1).map((l) => [l.slice(0, l.indexOf(": ")), l.slice(l.indexOf(": ") + 2)] as [string, string]);
      const len = Number(headers.find(([k]) => k.toLowerCase() === "content-length")?.[1] ?? NaN);
      if (buf.length - end - 4 < (Number.isNaN(len) ? 0 : len)) return;
      parsed = { statusLine: lines[0], headers, body: buf.subarray(end + 4).toString("utf8") };
      // Still open 300 ms after a complete answer = the server keeps the connection.
      settleTimer = setTimeout(() => finish(false), 300);
    });
    sock.on("end", () => finish(true));
    sock.on("error", reject);
    const head = Object.entries({ Host: `127.0.0.1:${port}`, Connection: "keep-alive", ...extra }).map(([k, v]) => `${k}: ${v}\r\n`).join("");
    sock.write(`${method} ${target} HTTP/1.1\r\n${head}\r\n`);
  });
}

const names = (r: RawResponse) => r.headers.map(([k]) => k);
const header = (r: RawResponse, name: string) => r.headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
const ZLM_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d\d \d{4} \d\d:\d\d:\d\d GMT$/;

let emu: Emulator;
let hookServer: http.Server;
const hookRequests: { rawHeaders: string[]; url: string }[] = [];

beforeAll(async () => {
  hookServer = http.createServer((req, res) => {
    hookRequests.push({ rawHeaders: req.rawHeaders, url: req.url ?? "" });
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end('{"code":0,"msg":"success"}');
    });
  });
  await new Promise<void>((r) => hookServer.listen(0, "127.0.0.1", () => r()));
  const hookPort = (hookServer.address() as AddressInfo).port;
  emu = await startEmulator({ secret: SECRET, mediaServerId: "zlm-wire", hookUrl: `http://127.0.0.1:${hookPort}/index/hook`, timeoutSec: 1, portRange: [27100, 27103], aliveIntervalSec: 600, seed: 5 });
});

afterAll(async () => {
  await emu?.stop();
  await new Promise<void>((r) => hookServer?.close(() => r()));
});

describe("HTTP answers on the wire", () => {
  it("a success: sorted headers, Content-Length, ZLM date and cookie expiry, keep-alive, no CORS without Origin", async () => {
    const r = await rawGet(emu.httpPort, `/index/api/getRtpInfo?secret=${SECRET}&stream_id=none`);
    expect(r.statusLine).toBe("HTTP/1.1 200 OK");
    expect(names(r)).toEqual(["Connection", "Content-Length", "Content-Type", "Date", "Keep-Alive", "Server", "Set-Cookie"]);
    expect(Number(header(r, "Content-Length"))).toBe(Buffer.byteLength(r.body));
    expect(r.body).toBe('{\n\t"code" : 0,\n\t"exist" : false\n}\n');
    expect(header(r, "Date")).toMatch(ZLM_DATE);
    expect(header(r, "Set-Cookie")).toMatch(/^ZLM_UNLOGIN=[0-9a-f]{32};expires=(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \w{3} \d\d \d{4} \d\d:\d\d:\d\d GMT;path=\/$/);
    expect(header(r, "Connection")).toBe("keep-alive");
    expect(header(r, "Keep-Alive")).toBe("timeout=30, max=100");
    expect(r.closedByServer).toBe(false);
  });

  it("a thrown -300 still says keep-alive but the connection is closed", async () => {
    const r = await rawGet(emu.httpPort, `/index/api/getRtpInfo?secret=${SECRET}`);
    expect(JSON.parse(r.body)).toEqual({ code: -300, msg: 'Required parameter missed: "stream_id"' });
    expect(names(r)).toEqual(["Connection", "Content-Length", "Content-Type", "Date", "Keep-Alive", "Server"]);
    expect(header(r, "Connection")).toBe("keep-alive");
    expect(r.closedByServer).toBe(true);
  });

  it("a wrong secret: -100 with a cookie, keep-alive announced, connection closed", async () => {
    const r = await rawGet(emu.httpPort, `/index/api/version?secret=nope`);
    expect(JSON.parse(r.body)).toMatchObject({ code: -100, msg: "Please login first" });
    expect(header(r, "Connection")).toBe("keep-alive");
    expect(header(r, "Set-Cookie")).toBeDefined();
    expect(r.closedByServer).toBe(true);
  });

  it("Connection: close from the client gives Connection: close and no Keep-Alive", async () => {
    const r = await rawGet(emu.httpPort, `/index/api/getRtpInfo?secret=${SECRET}&stream_id=none`, { Connection: "close" });
    expect(names(r)).toEqual(["Connection", "Content-Length", "Content-Type", "Date", "Server", "Set-Cookie"]);
    expect(header(r, "Connection")).toBe("close");
  });

  it("CORS headers echo the Origin, and only when there is one", async () => {
    const r = await rawGet(emu.httpPort, `/index/api/getRtpInfo?secret=${SECRET}&stream_id=none`, { Origin: "http://noc.example" });
    expect(names(r).slice(0, 2)).toEqual(["Access-Control-Allow-Credentials", "Access-Control-Allow-Origin"]);
    expect(header(r, "Access-Control-Allow-Origin")).toBe("http://noc.example");
    expect(header(r, "Access-Control-Allow-Credentials")).toBe("true");
  });

  it("the 404 page has a Content-Length and keeps the connection", async () => {
    const r = await rawGet(emu.httpPort, `/index/api/noSuchApi?secret=${SECRET}`);
    expect(r.statusLine).toBe("HTTP/1.1 404 Not Found");
    expect(names(r)).toEqual(["Connection", "Content-Length", "Content-Type", "Date", "Keep-Alive", "Server"]);
    expect(header(r, "Content-Type")).toBe("text/html; charset=utf-8");
    expect(Number(header(r, "Content-Length"))).toBe(Buffer.byteLength(r.body));
    expect(r.closedByServer).toBe(false);
  });

  it("OPTIONS gets ZLM's preflight answer", async () => {
    const r = await rawGet(emu.httpPort, `/index/api/getRtpInfo`, { Origin: "http://noc.example" }, "OPTIONS");
    expect(r.statusLine).toBe("HTTP/1.1 200 OK");
    expect(names(r)).toEqual([
      "Access-Control-Allow-Credentials", "Access-Control-Allow-Headers", "Access-Control-Allow-Methods", "Access-Control-Allow-Origin",
      "Access-Control-Request-Headers", "Access-Control-Request-Methods", "Allow", "Connection", "Content-Length", "Date", "Server",
    ]);
    expect(header(r, "Access-Control-Allow-Origin")).toBe("*");
    expect(header(r, "Content-Length")).toBe("0");
    expect(r.body).toBe("");
  });

  it("zlmDate writes strftime's \"%a, %b %d %Y %H:%M:%S GMT\"", () => {
    expect(zlmDate(Date.UTC(2026, 11, 1, 8, 25, 46))).toBe("Tue, Dec 01 2026 08:25:46 GMT");
  });
});

describe("hook requests on the wire", () => {
  it("carry HttpClient's headers in sorted order, keep-alive and the server name as User-Agent", async () => {
    const end = Date.now() + 5000;
    while (!hookRequests.some((h) => h.url.endsWith("/on_server_started")) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    const started = hookRequests.find((h) => h.url.endsWith("/on_server_started"));
    expect(started).toBeDefined();
    const raw = started!.rawHeaders;
    const pairs = raw.flatMap((v, i) => (i % 2 === 0 ? [[v, raw[i + 1]] as [string, string]] : []));
    expect(pairs.map(([k]) => k)).toEqual(["Accept", "Accept-Language", "Connection", "Content-Length", "Content-Type", "Host", "User-Agent"]);
    const get = (k: string) => pairs.find(([n]) => n === k)?.[1];
    expect(get("Accept")).toBe("*/*");
    expect(get("Accept-Language")).toBe("zh-CN,zh;q=0.8");
    expect(get("Connection")).toBe("keep-alive");
    expect(get("Content-Type")).toBe("application/json");
    expect(get("User-Agent")).toMatch(/^ZLMediaKit\(git hash:fdaec26\/2026-08-21T13:22:38\+08:00,branch:master,build time:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\)$/);
  });

  it("a hook about a stream adds X-VHOST after User-Agent", async () => {
    const open = await zlmCall(emu.url, "openRtpServer", { secret: SECRET, port: 0, tcp_mode: 1, stream_id: "wire_ghost" });
    expect(open.json).toMatchObject({ code: 0 });
    await zlmCall(emu.url, "closeRtpServer", { secret: SECRET, stream_id: "wire_ghost" });
    // A stream-level hook needs media or a timeout; the ghost of a failed tcp_mode=1 open is the quickest.
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, "127.0.0.1", () => r()));
    const busyPort = (busy.address() as AddressInfo).port;
    const fail = await zlmCall(emu.url, "openRtpServer", { secret: SECRET, port: busyPort, tcp_mode: 1, stream_id: "wire_vhost" });
    expect(fail.json).toMatchObject({ code: -400 });
    const end = Date.now() + 8000;
    while (!hookRequests.some((h) => h.url.endsWith("/on_rtp_server_timeout")) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    busy.close();
    const hook = hookRequests.find((h) => h.url.endsWith("/on_rtp_server_timeout"));
    expect(hook).toBeDefined();
    const keys = hook!.rawHeaders.filter((_, i) => i % 2 === 0);
    expect(keys).toEqual(["Accept", "Accept-Language", "Connection", "Content-Length", "Content-Type", "Host", "User-Agent", "X-VHOST"]);
    expect(hook!.rawHeaders[hook!.rawHeaders.indexOf("X-VHOST") + 1]).toBe("__defaultVhost__");
  }, 15_000);
});

describe("the port pool checks TCP as well as UDP (makeSockPair)", () => {
  it("refuses pairs whose TCP port is taken with the last failure's text, and says 'none reserved' only when empty", async () => {
    // The range 27100-27103 holds two pairs; hold TCP on the even port of both.
    const holders: net.Server[] = [];
    for (const p of [27100, 27102]) {
      const s = net.createServer();
      await new Promise<void>((r) => s.listen(p, "127.0.0.1", () => r()));
      holders.push(s);
    }
    try {
      const refused = await zlmCall(emu.url, "openRtpServer", { secret: SECRET, port: 0, tcp_mode: 0, stream_id: "wire_pool" });
      expect(refused.json).toEqual({ code: -400, msg: "listen tcp socket[0] failed" });
      // Both pairs went back to the pool: with TCP free again the next open succeeds.
    } finally {
      for (const s of holders) await new Promise<void>((r) => s.close(() => r()));
    }
    const first = await zlmCall(emu.url, "openRtpServer", { secret: SECRET, port: 0, tcp_mode: 0, stream_id: "wire_pool" });
    const second = await zlmCall(emu.url, "openRtpServer", { secret: SECRET, port: 0, tcp_mode: 0, stream_id: "wire_pool2" });
    expect([first.json?.port, second.json?.port].sort()).toEqual([27100, 27102]);
    const empty = await zlmCall(emu.url, "openRtpServer", { secret: SECRET, port: 0, tcp_mode: 0, stream_id: "wire_pool3" });
    expect(empty.json).toEqual({ code: -400, msg: "none reserved port in pool" });
    for (const id of ["wire_pool", "wire_pool2"]) await zlmCall(emu.url, "closeRtpServer", { secret: SECRET, stream_id: id });
  });
});
