import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { forwardToZlm } from "./forward.server";
import { startEmulator } from "../sim/emulator";

/** The tap's forwarder keeps connections to ZLM open, and opens a new one where ZLM closes (after a thrown error). */
let server: http.Server;
let base: string;
let connections = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const close = req.url?.includes("close=1") ?? false;
      res.writeHead(200, { "content-type": "application/json; charset=utf-8", connection: close ? "close" : "keep-alive", "set-cookie": ["a=1", "b=2"] });
      res.end(JSON.stringify({ method: req.method, url: req.url, body, cookie: req.headers.cookie ?? null }));
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on("connection", () => connections++);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

const call = (q: string, init: { method?: string; body?: string } = {}) =>
  forwardToZlm({ url: `${base}/index/api/getRtpInfo?${q}`, method: init.method ?? "GET", headers: { cookie: "ZLM_LOGINED=x", "content-type": "application/x-www-form-urlencoded" }, body: init.body === undefined ? null : Buffer.from(init.body), timeoutMs: 2000 });

describe("forwardToZlm", () => {
  it("reuses one connection for sequential calls and passes method, query, body and headers", async () => {
    const before = connections;
    for (let i = 0; i < 5; i++) expect((await call(`stream_id=s${i}`)).status).toBe(200);
    expect(connections - before).toBe(1);
    const a = await call("x=1", { method: "POST", body: "secret=s&stream_id=cam" });
    expect(JSON.parse(a.body.toString("utf8"))).toEqual({ method: "POST", url: "/index/api/getRtpInfo?x=1", body: "secret=s&stream_id=cam", cookie: "ZLM_LOGINED=x" });
    expect(a.headers["set-cookie"]).toEqual(["a=1", "b=2"]);
    expect(connections - before).toBe(1);
  });

  it("opens a new connection after ZLM closed one", async () => {
    const before = connections;
    await call("close=1");
    await call("close=1");
    await call("y=1");
    expect(connections - before).toBeGreaterThanOrEqual(2);
  });

  it("fails with the reason when nothing answers", async () => {
    await expect(forwardToZlm({ url: "http://127.0.0.1:1/index/api/version", method: "GET", headers: {}, body: null, timeoutMs: 500 })).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe("the emulator's connections, as ZLM's (reference 1.2)", () => {
  it("stay open after answers and close after a thrown error; the forwarder never reuses a closing one", async () => {
    const emu = await startEmulator({ secret: "ka", mediaServerId: "zlm-ka", hookUrl: null, timeoutSec: 5, portRange: [25500, 25600], aliveIntervalSec: 3600, seed: 1 });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    // Resolves with whether the request reused a pooled socket and whether the server closed it within 300 ms.
    const probe = (q: string) =>
      new Promise<{ reused: boolean; closed: boolean }>((resolve, reject) => {
        let closed = false;
        const r = http.get(`${emu.url}/index/api/${q}`, { agent }, (res) => {
          res.resume();
          res.on("end", () => setTimeout(() => resolve({ reused: r.reusedSocket, closed }), 300));
        });
        r.on("socket", (socket) => socket.once("close", () => (closed = true)));
        r.on("error", reject);
      });
    try {
      expect(await probe("getRtpInfo?secret=ka&stream_id=x")).toEqual({ reused: false, closed: false });
      expect(await probe("openRtpServer?secret=ka&port=0&stream_id=ka1")).toEqual({ reused: true, closed: false });
      expect(await probe("openRtpServer?secret=ka&port=0&stream_id=ka1")).toEqual({ reused: true, closed: true }); // "already exists": thrown, then closed
      expect((await probe("getRtpInfo?secret=ka&stream_id=x")).reused).toBe(false);
      // Back to back, with no pause for the close to arrive: every call through the forwarder still gets its answer.
      for (let i = 0; i < 20; i++) {
        const q = i % 2 ? "getRtpInfo?secret=ka&stream_id=x" : "openRtpServer?secret=ka&port=0&stream_id=ka1";
        const a = await forwardToZlm({ url: `${emu.url}/index/api/${q}`, method: "GET", headers: {}, body: null, timeoutMs: 2000 });
        expect(a.status).toBe(200);
        expect(JSON.parse(a.body.toString("utf8")).code).toBe(i % 2 ? 0 : -300);
      }
    } finally {
      agent.destroy();
      await emu.stop();
    }
  });
});
