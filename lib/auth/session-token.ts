/**
 * Signed session cookies: `base64url(payload).base64url(HMAC-SHA256)`. The
 * server keeps no session table; a cookie is good until its expiry, and
 * changing PORTSCOPE_SESSION_SECRET signs everyone out. The CSRF token is
 * derived from the session id with the same secret (double-submit: the
 * browser copies the readable `portscope_csrf` cookie into a header).
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { isRole, type Role } from "./roles";
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from "./cookie-names";

export { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from "./cookie-names";

export interface SessionClaims {
  user: string;
  role: Role;
  /** Random per sign-in; the CSRF token is bound to it. */
  sid: string;
  /** Epoch ms after which the cookie is refused. */
  exp: number;
}

const b64 = (b: Buffer) => b.toString("base64url");
const mac = (secret: string, data: string) => createHmac("sha256", secret).update(data).digest();

export function newSessionId(): string {
  return b64(randomBytes(18));
}

export function signSession(secret: string, claims: SessionClaims): string {
  const body = b64(Buffer.from(JSON.stringify({ u: claims.user, r: claims.role, s: claims.sid, e: claims.exp })));
  return `${body}.${b64(mac(secret, body))}`;
}

export function verifySession(secret: string, token: string | null | undefined, now = Date.now()): SessionClaims | null {
  if (!token || token.length > 2048) return null;
  const dot = token.indexOf(".");
  if (dot <= 0) return null;
  const body = token.slice(0, dot);
  if (!safeEqual(token.slice(dot + 1), b64(mac(secret, body)))) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const c = raw as { u?: unknown; r?: unknown; s?: unknown; e?: unknown };
  if (typeof c.u !== "string" || !isRole(c.r) || typeof c.s !== "string" || typeof c.e !== "number") return null;
  if (c.e <= now) return null;
  return { user: c.u, role: c.r, sid: c.s, exp: c.e };
}

/** The CSRF token of a session (or of a proxy-header user: `hdr:<name>`). */
export function csrfToken(secret: string, binding: string): string {
  return b64(mac(secret, `csrf:${binding}`)).slice(0, 32);
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** One cookie from a Cookie header. */
export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const v = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(v);
      } catch {
        return v;
      }
    }
  }
  return null;
}

export function cookieHeader(name: string, value: string, opts: { maxAgeSec: number; httpOnly: boolean; secure: boolean }): string {
  return [`${name}=${encodeURIComponent(value)}`, "Path=/", `Max-Age=${opts.maxAgeSec}`, "SameSite=Lax", opts.httpOnly ? "HttpOnly" : null, opts.secure ? "Secure" : null].filter(Boolean).join("; ");
}
