import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createZlmClient } from "./client";
import { ZlmError } from "./errors";
import { startEmulator, type Emulator } from "../sim/emulator";
import { freePort } from "../testing/app-process";

/** The client against real sockets: a scripted HTTP stub for failure modes, and the emulator for real answers. */
const SECRET = "client-secret-do-not-leak";
let stub: http.Server;
let stubUrl: string;
let script: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_q, r) => r.end("{}");
let emu: Emulator;

beforeAll(async () => {
  stub = http.createServer((req, res) => script(req, res));
  await new Promise<void>((r) => stub.listen(0, "127.0.0.1", () => r()));
  stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  emu = await startEmulator({ secret: SECRET, mediaServerId: "client-test", hookUrl: null, portRange: [28000, 28100], timeoutSec: 5, aliveIntervalSec: 3600, seed: 1 });
});

afterAll(async () => {
  stub.closeAllConnections();
  await new Promise((r) => stub.close(r));
  await emu.stop();
});

async function caught(p: Promise<unknown>): Promise<ZlmError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ZlmError);
    const err = e as ZlmError;
    expect(err.message).not.toContain(SECRET);
    expect(JSON.stringify(err)).not.toContain(SECRET);
    return err;
  }
  throw new Error("expected a ZlmError");
}

const stubClient = (timeoutMs = 2000) => createZlmClient({ id: "stub-node", url: stubUrl, secret: SECRET, timeoutMs });
const zlmText = (obj: Record<string, unknown>) => JSON.stringify(obj, null, "\t") + "\n";

describe("against the emulator", () => {
  const client = () => createZlmClient({ id: "emu", url: emu.url, secret: SECRET });

  it("reads version, config and empty lists", async () => {
    const c = client();
    expect(await c.version()).toMatchObject({ branchName: "master", commitHash: "fdaec26" });
    const config = await c.getServerConfig();
    expect(config["general.mediaServerId"]).toBe("client-test");
    expect(await c.listRtpServer()).toEqual([]);
    expect(await c.getMediaList()).toEqual([]);
    expect((await c.getApiList()).length).toBeGreaterThan(50);
  });

  it("opens, lists, refuses a duplicate as a conflict, and closes", async () => {
    const c = client();
    const { port } = await c.openRtpServer({ port: 0, tcp_mode: 0, stream_id: "client_s1" });
    expect(port % 2).toBe(0);
    expect((await c.listRtpServer()).map((r) => [r.stream_id, r.port])).toEqual([["client_s1", port]]);
    expect(await c.getRtpInfo({ stream_id: "client_s1" })).toEqual({ code: 0, exist: false });
    const dup = await caught(c.openRtpServer({ port: 0, tcp_mode: 0, stream_id: "client_s1" }));
    expect(dup).toMatchObject({ nodeId: "emu", endpoint: "openRtpServer", code: -300, zlmMsg: "This stream already exists", kind: "conflict", httpStatus: 200 });
    expect(await c.closeRtpServer({ stream_id: "client_s1" })).toEqual({ hit: 1 });
    expect(await c.closeRtpServer({ stream_id: "client_s1" })).toEqual({ hit: 0 });
  });

  it("a wrong secret is a permanent -100 error", async () => {
    const err = await caught(createZlmClient({ id: "emu", url: emu.url, secret: "wrong" }).version());
    expect(err).toMatchObject({ code: -100, zlmMsg: "Please login first", kind: "permanent" });
  });

  it("pauseRtpCheck on a server without media is -500, permanent", async () => {
    const c = client();
    await c.openRtpServer({ port: 0, tcp_mode: 0, stream_id: "client_pause" });
    const err = await caught(c.pauseRtpCheck({ stream_id: "client_pause" }));
    expect(err).toMatchObject({ code: -500, zlmMsg: null, kind: "permanent" });
    await c.closeRtpServer({ stream_id: "client_pause" });
  });
});

describe("against a scripted HTTP server", () => {
  it("sends the secret and parameters in the query string", async () => {
    let seen = "";
    script = (req, res) => {
      seen = req.url ?? "";
      res.end(zlmText({ code: 0, exist: false }));
    };
    await stubClient().getRtpInfo({ stream_id: "a b", app: "live" });
    const u = new URL(seen, "http://x");
    expect(u.pathname).toBe("/index/api/getRtpInfo");
    expect(Object.fromEntries(u.searchParams)).toEqual({ secret: SECRET, stream_id: "a b", app: "live" });
  });

  it("HTTP 404 (unknown API path) is permanent", async () => {
    script = (_q, res) => {
      res.writeHead(404, { "content-type": "text/html" });
      res.end("<html><body>404 Not Found</body></html>");
    };
    expect(await caught(stubClient().listRtpServer())).toMatchObject({ httpStatus: 404, code: null, kind: "permanent" });
  });

  it("HTTP 500 is transient", async () => {
    script = (_q, res) => {
      res.writeHead(500);
      res.end("oops");
    };
    expect(await caught(stubClient().listRtpServer())).toMatchObject({ httpStatus: 500, kind: "transient" });
  });

  it("a non-JSON 200 is permanent", async () => {
    script = (_q, res) => res.end("not json");
    expect(await caught(stubClient().listRtpServer())).toMatchObject({ code: null, kind: "permanent" });
  });

  it("an answer of the wrong shape is an error, not bad data", async () => {
    script = (_q, res) => res.end(zlmText({ code: 0, data: [{ port: "x" }] }));
    const err = await caught(stubClient().listRtpServer());
    expect(err.message).toContain("unexpected answer shape");
  });

  it("a -400 bind failure is transient, the -400 assertion is a conflict", async () => {
    script = (_q, res) => res.end(zlmText({ code: -400, msg: "创建rtp端口 127.0.0.1:30600 失败:address already in use" }));
    expect((await caught(stubClient().openRtpServer({ port: 30600, tcp_mode: 0, stream_id: "s" }))).kind).toBe("transient");
    script = (_q, res) => res.end(zlmText({ code: -400, msg: "Assertion failed: (it.second), function makeWithAction, file /opt/zlmediakit/server/WebApi.h, line 339." }));
    expect((await caught(stubClient().openRtpServer({ port: 0, tcp_mode: 0, stream_id: "s" }))).kind).toBe("conflict");
  });

  it("a server that never answers times out as transient", async () => {
    script = () => undefined; // hold the request open
    const err = await caught(stubClient(200).version());
    expect(err).toMatchObject({ code: null, httpStatus: null, kind: "transient" });
    expect(err.message).toContain("timed out after 200 ms");
  });

  it("a refused connection is transient", async () => {
    const port = await freePort();
    const err = await caught(createZlmClient({ id: "down", url: `http://127.0.0.1:${port}`, secret: SECRET, timeoutMs: 1000 }).version());
    expect(err).toMatchObject({ nodeId: "down", endpoint: "version", kind: "transient" });
    expect(err.message).toMatch(/ECONNREFUSED/);
  });

  it("a reset connection is transient", async () => {
    script = (req) => req.socket.destroy();
    expect((await caught(stubClient().version())).kind).toBe("transient");
  });
});
