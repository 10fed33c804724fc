import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import util from "node:util";
import type { AddressInfo } from "node:net";
import { createZlmClient } from "./client";
import { describeZlmError, ZlmError } from "./errors";
import { freePort } from "../testing/app-process";
import { openSqliteStore } from "../events/sqlite-store";
import { EventBus } from "../live/bus";
import { Pipeline } from "../events/pipeline.server";
import { NodePoller } from "../ingest/poller.server";

/**
 * The secret travels in every request URL. Whatever goes wrong on the wire,
 * nothing built from the resulting error — message, cause chain, JSON,
 * util.inspect, stack, the poller's state and events — may contain it.
 */
const SECRETS = ["zlm-secret-DO-NOT-LEAK-7f3a", "s3cr&t/ü+x y"];
let stub: http.Server;
let stubUrl: string;
let script: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_q, r) => r.end("{}");

beforeAll(async () => {
  stub = http.createServer((req, res) => script(req, res));
  await new Promise<void>((r) => stub.listen(0, "127.0.0.1", () => r()));
  stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
});
afterEach(() => stub.closeAllConnections());
afterAll(() => new Promise((r) => stub.close(r)));

/** Every way the secret could be spelled in text. */
const spellings = (secret: string) => [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)];

function expectNoSecret(err: unknown, secret: string): void {
  const texts: string[] = [JSON.stringify(err), util.inspect(err, { depth: Infinity, showHidden: true }), String(err)];
  for (let e: unknown = err, depth = 0; e && depth < 10; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof Error) texts.push(e.message, e.stack ?? "", JSON.stringify(Object.getOwnPropertyNames(e).map((k) => (e as unknown as Record<string, unknown>)[k])));
    else texts.push(util.inspect(e, { depth: Infinity }));
  }
  if (err instanceof ZlmError) texts.push(describeZlmError(err), String(err.zlmMsg));
  for (const text of texts) for (const s of spellings(secret)) expect(text).not.toContain(s);
}

async function failure(p: Promise<unknown>): Promise<ZlmError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ZlmError);
    return e as ZlmError;
  }
  throw new Error("expected a ZlmError");
}

describe.each(SECRETS)("no ZLM error carries the secret (%s)", (secret) => {
  const client = (over: Partial<Parameters<typeof createZlmClient>[0]> = {}) => createZlmClient({ id: "stub", url: stubUrl, secret, timeoutMs: 300, ...over });

  it("connection reset before the answer", async () => {
    script = (req) => req.socket.destroy();
    expectNoSecret(await failure(client().listRtpServer()), secret);
  });

  it("connection reset in the middle of the body", async () => {
    script = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "500" });
      res.write('{"code":0,"data":[');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const err = await failure(client().listRtpServer());
    expect(err.kind).toBe("transient");
    expectNoSecret(err, secret);
  });

  it("no answer (timeout)", async () => {
    script = () => undefined;
    const err = await failure(client().version());
    expect(err.message).toContain("timed out");
    expectNoSecret(err, secret);
  });

  it("connection refused", async () => {
    const err = await failure(client({ url: `http://127.0.0.1:${await freePort()}` }).version());
    expectNoSecret(err, secret);
  });

  it("a node URL fetch cannot parse (fetch puts the whole URL in its message)", async () => {
    const err = await failure(client({ url: "http://zlm host:80" }).version());
    expectNoSecret(err, secret);
  });

  it("an instrumented fetch whose errors quote the URL, with a nested cause", async () => {
    const fetchImpl = (async (url: string | URL | Request) => {
      throw new TypeError(`request to ${String(url)} failed`, { cause: Object.assign(new Error(`socket closed for ${String(url)}`), { code: "ECONNRESET", url: String(url) }) });
    }) as typeof fetch;
    const err = await failure(client({ fetchImpl }).version());
    expect(err.kind).toBe("transient");
    expectNoSecret(err, secret);
  });

  it("a proxy page or a ZLM message that echoes the request URL", async () => {
    script = (req, res) => res.end(`Bad gateway for ${req.url}`);
    expectNoSecret(await failure(client().version()), secret);
    script = (req, res) => res.end(JSON.stringify({ code: -1, msg: `upstream ${req.url} failed` }));
    expectNoSecret(await failure(client().version()), secret);
  });

  it("the poller's state and node.offline event after a reset", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-secret-"));
    const store = openSqliteStore(path.join(dir, "s.db"));
    try {
      const pipeline = await Pipeline.open(store, new EventBus());
      script = (req) => req.socket.destroy();
      const poller = new NodePoller(client(), pipeline);
      await poller.pollOnce();
      expect(poller.state.online).toBe(false);
      const events = await store.query({});
      expect(events.map((e) => e.kind)).toEqual(["node.offline"]);
      for (const s of spellings(secret)) {
        expect(JSON.stringify(poller.state)).not.toContain(s);
        expect(JSON.stringify(events)).not.toContain(s);
      }
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
