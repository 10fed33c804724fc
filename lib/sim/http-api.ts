import crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiArgs, parseBody } from "./api-args";
import type { ApiAnswer } from "./api/answer";
import { ENDPOINTS } from "./api/endpoints";
import type { ApiContext } from "./api/api-context";
import { toZlmJson } from "./zlm-json";

const MAX_BODY = 40 * 1024; // http.maxReqSize

/** ZLM's HTTP front: routing, secret check, cookies, connection handling, 404 page. */
export function createApiHandler(emu: ApiContext) {
  const sessions = new LoginSessions();
  return (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on("error", () => res.destroy());
    req.on("end", () => {
      void handle(emu, sessions, req, res, Buffer.concat(chunks).toString("utf8")).catch((err: unknown) => {
        // A handler bug must look like ZLM's generic exception answer, never crash the emulator.
        writeAnswer(emu, req, res, { kind: "thrown", code: -400, msg: err instanceof Error ? err.message : String(err) }, null);
      });
    });
  };
}

async function handle(emu: ApiContext, sessions: LoginSessions, req: IncomingMessage, res: ServerResponse, body: string) {
  const url = new URL(req.url ?? "/", "http://zlm.invalid");
  const path = url.pathname === "/index/" ? "/index/api/getApiList" : url.pathname;
  const m = /^\/index\/api\/([^/]+)$/.exec(path);
  const endpoint = m ? ENDPOINTS[m[1]] : undefined;
  if (req.method === "OPTIONS") {
    writeOptions(emu, req, res);
    return;
  }
  if (!m || !endpoint) {
    writeNotFound(emu, req, res);
    return;
  }
  const args = new ApiArgs(url.searchParams, parseBody(req.headers["content-type"], body), req.headers);
  const cookies = parseCookies(req.headers.cookie);
  if (m[1] === "login" || m[1] === "logout") {
    writeAnswer(emu, req, res, sessions.handle(m[1], args, cookies, emu.config("api.secret")), null);
    return;
  }
  const authed = args.get("secret") === emu.config("api.secret") || sessions.isLoggedIn(cookies.ZLM_LOGINED);
  if (!authed) {
    const cookie = sessions.newUnlogin();
    writeAnswer(emu, req, res, { kind: "returned", body: { code: -100, cookie, msg: "Please login first" } }, cookie, true);
    return;
  }
  const answer = await endpoint(emu, args, req);
  writeAnswer(emu, req, res, answer, answer.kind === "returned" ? sessions.newUnlogin() : null);
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad2 = (n: number) => String(n).padStart(2, "0");

/** ZLM's dateStr(): strftime "%a, %b %d %Y %H:%M:%S GMT" (not RFC 7231), used for Date and cookie expiry. */
export function zlmDate(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]}, ${MONTHS[d.getUTCMonth()]} ${pad2(d.getUTCDate())} ${d.getUTCFullYear()} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} GMT`;
}

/**
 * HttpSession::sendResponse: headers live in a case-insensitive std::multimap, so they go out
 * sorted; Content-Length always; `Connection: close` only when the request asked for it (ZLM
 * says keep-alive even on answers after which it closes); CORS only for a request with Origin.
 */
export function zlmResponseHeaders(emu: ApiContext, req: IncomingMessage, extra: Record<string, string>, bodyBytes: number): string[] {
  const clientClose = /^close$/i.test(String(req.headers.connection ?? ""));
  const h: Record<string, string> = { ...extra, Date: zlmDate(Date.now()), Server: emu.serverName(), Connection: clientClose ? "close" : "keep-alive", "Content-Length": String(bodyBytes) };
  if (!clientClose) h["Keep-Alive"] = "timeout=30, max=100";
  const origin = req.headers.origin;
  if (typeof origin === "string" && origin) {
    h["Access-Control-Allow-Origin"] = origin;
    h["Access-Control-Allow-Credentials"] = "true";
  }
  return Object.keys(h)
    .sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0))
    .flatMap((k) => [k, h[k]]);
}

function writeRaw(emu: ApiContext, req: IncomingMessage, res: ServerResponse, status: number, extra: Record<string, string>, body: string, closeAfter: boolean) {
  const bytes = Buffer.from(body, "utf8");
  res.sendDate = false; // our own Date, in ZLM's format
  res.writeHead(status, zlmResponseHeaders(emu, req, extra, bytes.length));
  res.end(bytes);
  if (closeAfter) res.once("finish", () => req.socket.end());
}

function writeAnswer(emu: ApiContext, req: IncomingMessage, res: ServerResponse, answer: ApiAnswer, cookie: string | null, forceClose = false) {
  if (res.headersSent || res.destroyed) return;
  const body = answer.kind === "returned" ? answer.body : { code: answer.code, msg: answer.msg };
  // Thrown ApiRetExceptions close the connection; generic -400 exceptions do not (zlm-reference §1.2).
  const close = forceClose || (answer.kind === "thrown" && answer.code !== -400);
  const extra: Record<string, string> = { "Content-Type": "application/json; charset=utf-8" };
  if (cookie) extra["Set-Cookie"] = `ZLM_UNLOGIN=${cookie};expires=${zlmDate(Date.now() + 60_000)};path=/`;
  writeRaw(emu, req, res, 200, extra, toZlmJson(body), close);
}

function writeNotFound(emu: ApiContext, req: IncomingMessage, res: ServerResponse) {
  writeRaw(emu, req, res, 404, { "Content-Type": "text/html; charset=utf-8" }, emu.notFoundPage(), false);
}

/** The CORS preflight answer HttpSession gives any OPTIONS request (observed on a real build). */
function writeOptions(emu: ApiContext, req: IncomingMessage, res: ServerResponse) {
  const methods = "GET, POST, PUT, HEAD, OPTIONS, DELETE";
  const bytes = 0;
  const h: Record<string, string> = {
    "Access-Control-Allow-Credentials": "true",
    "Access-Control-Allow-Headers": "*",
    "Access-Control-Allow-Methods": methods,
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Request-Headers": "Accept,Accept-Language,Content-Language,Content-Type",
    "Access-Control-Request-Methods": "GET, POST, PUT, OPTIONS, DELETE",
    Allow: methods,
    Connection: "close",
    "Content-Length": String(bytes),
    Date: zlmDate(Date.now()),
    Server: emu.serverName(),
  };
  res.sendDate = false;
  res.writeHead(200, Object.entries(h).flat());
  res.end();
  res.once("finish", () => req.socket.end());
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

/** The 2026 cookie login: md5("zlmediakit:" + secret + ":" + unlogin cookie). */
class LoginSessions {
  private readonly unlogin = new Map<string, number>();
  private readonly logged = new Map<string, number>();

  newUnlogin(): string {
    const now = Date.now();
    for (const [k, exp] of this.unlogin) if (exp < now) this.unlogin.delete(k);
    const cookie = crypto.randomBytes(16).toString("hex");
    this.unlogin.set(cookie, now + 60_000);
    return cookie;
  }

  isLoggedIn(cookie: string | undefined): boolean {
    const exp = cookie ? this.logged.get(cookie) : undefined;
    return exp !== undefined && exp > Date.now();
  }

  handle(name: "login" | "logout", args: ApiArgs, cookies: Record<string, string>, secret: string): ApiAnswer {
    if (name === "logout") {
      if (cookies.ZLM_LOGINED) this.logged.delete(cookies.ZLM_LOGINED);
      return { kind: "returned", body: { code: 0, cookie: this.newUnlogin() } };
    }
    if (!args.has("digest")) return { kind: "thrown", code: -300, msg: 'Required parameter missed: "digest"' };
    const cookie = cookies.ZLM_UNLOGIN ?? "";
    const expected = crypto.createHash("md5").update(`zlmediakit:${secret}:${cookie}`).digest("hex");
    if (!this.unlogin.has(cookie) || args.str("digest").toLowerCase() !== expected) {
      return { kind: "returned", body: { code: -100, cookie: this.newUnlogin(), msg: "Digest does not match, incorrect secret?" } };
    }
    this.unlogin.delete(cookie);
    this.logged.set(cookie, Date.now() + 24 * 3600_000);
    return { kind: "returned", body: { code: 0 } };
  }
}
