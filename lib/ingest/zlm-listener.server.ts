import "server-only";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { MAX_HOOK_BODY_BYTES, type HookReceiver, type HookResponse } from "./hook-receiver";
import type { Tap } from "../tap/tap.server";

/**
 * The lean ZLM-facing listener: plain node:http inside the server process.
 * Measured here, a Next route handler answers ~1k req/s while node:http in the
 * same process answers 15-20k, and a site-wide reconnect sends thousands of
 * hooks per second. Paths match the Next route (`/api/hooks/<hook>`), so only
 * the port differs between the two.
 */
export interface ZlmListener {
  port: number;
  close(): Promise<void>;
}

/**
 * Marks a server that reads peer addresses from its sockets itself, so the
 * process-wide peer stamp (lib/runtime/peer-address.server.ts, for Next's
 * routes) skips it: the stamp costs a getpeername syscall per request, about
 * 3% of a hook's CPU on this listener, where only an allow-list needs the address.
 */
export const READS_OWN_PEER_ADDRESS = Symbol.for("portscope.readsOwnPeerAddress");

function ownPeerAddresses(server: http.Server): http.Server {
  (server as http.Server & { [READS_OWN_PEER_ADDRESS]?: true })[READS_OWN_PEER_ADDRESS] = true;
  return server;
}

/** Other GET paths this listener serves (e.g. /metrics), by exact path; looked up before the hook paths. */
export type ExtraRoutes = ReadonlyMap<string, (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>>;

export async function startZlmListener(opts: { host: string; port: number; receiver: HookReceiver; tap?: Tap | null; extraRoutes?: ExtraRoutes }): Promise<ZlmListener> {
  const server = http.createServer((req, res) => {
    void route(req, res, opts.receiver, opts.tap ?? null, opts.extraRoutes ?? null).catch((err) => {
      if (!res.headersSent) send(res, { status: 500, body: { code: -1, msg: `internal error: ${err instanceof Error ? err.message : String(err)}` } });
    });
  });
  server.keepAliveTimeout = 5000;
  server.headersTimeout = 10_000;
  return listen(ownPeerAddresses(server), opts.host, opts.port);
}

async function listen(server: http.Server, host: string, port: number): Promise<ZlmListener> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A hook path that URL parsing would leave as it is: the hot path skips building a URL for it. */
const PLAIN_HOOK_PATH = /^\/api\/hooks\/(on_[a-z0-9_]{1,60})\/?$/;

function route(req: http.IncomingMessage, res: http.ServerResponse, receiver: HookReceiver, tap: Tap | null, extraRoutes: ExtraRoutes | null): Promise<void> {
  // ZLM posts every hook on a new connection, thousands a second in a site-wide reconnect: the
  // plain case goes straight to the receiver, with the query read by URLSearchParams alone.
  const raw = req.url ?? "/";
  const q = raw.indexOf("?");
  const plain = req.method === "POST" ? PLAIN_HOOK_PATH.exec(q < 0 ? raw : raw.slice(0, q)) : null;
  if (plain) return serveHook(req, res, receiver, plain[1], q < 0 ? "" : raw.slice(q + 1).split("#")[0]);
  return routeOther(req, res, receiver, tap, extraRoutes);
}

async function serveHook(req: http.IncomingMessage, res: http.ServerResponse, receiver: HookReceiver, hook: string, query: string): Promise<void> {
  const { body, bytes } = await readBody(req, MAX_HOOK_BODY_BYTES);
  const answer = await receiver.handle({
    hook,
    token: query === "" ? null : new URLSearchParams(query).get("token"),
    remoteAddress: receiver.needsRemoteAddress ? req.socket.remoteAddress ?? null : null,
    body,
    bodyBytes: bytes,
  });
  send(res, answer);
}

async function routeOther(req: http.IncomingMessage, res: http.ServerResponse, receiver: HookReceiver, tap: Tap | null, extraRoutes: ExtraRoutes | null): Promise<void> {
  const url = new URL(req.url ?? "/", "http://local");
  const extra = req.method === "GET" ? extraRoutes?.get(url.pathname) : undefined;
  if (extra) return extra(req, res);
  const tapped = tap && url.pathname.match(/^\/zlm\/([^/]+)\/index\/api\/([^/]+)$/);
  if (tapped && tap) {
    const body = await readRawBody(req, MAX_HOOK_BODY_BYTES);
    const answer = await tap.handle({
      nodeId: decodeURIComponent(tapped[1]),
      endpoint: decodeURIComponent(tapped[2]),
      method: req.method ?? "GET",
      query: url.search.slice(1),
      contentType: req.headers["content-type"] ?? null,
      body,
      caller: req.socket.remoteAddress ?? null,
      headers: zlmReadHeaders(req),
    });
    res.writeHead(answer.status, { ...answer.headers, "content-length": answer.body.length });
    res.end(answer.body);
    return;
  }
  const m = url.pathname.match(/^\/api\/hooks\/([^/]+)\/?$/);
  if (req.method === "GET" && url.pathname === "/healthz") return send(res, { status: 200, body: { code: 0, msg: "ok" } });
  if (!m) return send(res, { status: 404, body: { code: -1, msg: `no such path: ${url.pathname.slice(0, 200)}` } });
  if (req.method !== "POST") return send(res, { status: 405, body: { code: -1, msg: "hooks must be POSTed" } });
  return serveHook(req, res, receiver, decodeURIComponent(m[1]), url.search.slice(1));
}

/**
 * A node's own tap port: ZLM's paths as they are (`/index/api/<endpoint>`), for
 * platforms that can only be given host:port. API calls go through the tap
 * (recorded, diagnosed, race shield); anything else is forwarded to ZLM
 * unchanged, so unknown paths get ZLM's own 404 page.
 */
export async function startNodeTapListener(opts: { host: string; port: number; nodeId: string; tap: Tap }): Promise<ZlmListener> {
  const server = http.createServer((req, res) => {
    void serveNodeTap(req, res, opts.nodeId, opts.tap).catch((err) => {
      if (!res.headersSent) send(res, { status: 502, body: { code: -1, msg: `tap error: ${err instanceof Error ? err.message : String(err)}` } });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 35_000;
  return listen(ownPeerAddresses(server), opts.host, opts.port);
}

async function serveNodeTap(req: http.IncomingMessage, res: http.ServerResponse, nodeId: string, tap: Tap): Promise<void> {
  const raw = req.url ?? "/";
  const q = raw.indexOf("?");
  const rawPath = q < 0 ? raw : raw.slice(0, q);
  const api = /^\/index\/api\/([^/]+)$/.exec(rawPath);
  const body = await readRawBody(req, MAX_HOOK_BODY_BYTES);
  const answer = await tap.handle({
    nodeId,
    endpoint: api ? safeDecode(api[1]) : "",
    path: api ? undefined : rawPath,
    method: req.method ?? "GET",
    query: q < 0 ? "" : raw.slice(q + 1),
    contentType: req.headers["content-type"] ?? null,
    body,
    caller: req.socket.remoteAddress ?? null,
    headers: zlmReadHeaders(req),
  });
  res.writeHead(answer.status, { ...answer.headers, "content-length": answer.body.length });
  res.end(req.method === "HEAD" ? undefined : answer.body);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Request headers ZLM reads besides the body's type: its login cookie, and `secret` (parameters may come as headers). */
export function zlmReadHeaders(req: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  const cookie = req.headers.cookie;
  const secret = req.headers.secret;
  if (typeof cookie === "string") out.cookie = cookie;
  if (typeof secret === "string") out.secret = secret;
  return out;
}

/** Reads up to `limit` bytes; past it, keeps draining (so the client sees our 413) but drops the data. */
export function readBody(req: http.IncomingMessage, limit: number): Promise<{ body: string | null; bytes: number }> {
  return collect(req, limit, (chunks, bytes) => ({ body: bytes > limit ? null : chunks.length === 1 ? chunks[0].toString("utf8") : Buffer.concat(chunks).toString("utf8"), bytes }));
}

/** A tapped call's body as bytes (null when empty or over `limit`: ZLM itself caps bodies at 40 KB). */
function readRawBody(req: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  return collect(req, limit, (chunks, bytes) => (bytes === 0 || bytes > limit ? null : Buffer.concat(chunks)));
}

/** The whole body, handed to `finish` with its size (past `limit` the chunks are dropped, the rest drained); one promise per request. */
function collect<T>(req: http.IncomingMessage, limit: number, finish: (chunks: Buffer[], bytes: number) => T): Promise<T> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on("data", (c: Buffer) => {
      bytes += c.length;
      if (bytes <= limit) chunks.push(c);
      else chunks.length = 0;
    });
    req.on("end", () => resolve(finish(chunks, bytes)));
    req.on("error", reject);
  });
}

function send(res: http.ServerResponse, answer: HookResponse): void {
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  if (answer.onSent) res.once("finish", answer.onSent);
  res.end(text);
}
