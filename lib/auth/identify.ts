/**
 * Who is asking, from the request's headers alone (the proxy and the route
 * guard both call it): a trusted reverse proxy's user header, but only from
 * an allowed peer, else a valid session cookie. The peer is the socket's
 * address, stamped by the server on every request (PEER_HEADER overwrites
 * whatever a client sent under that name).
 */
import type { AuthConfig } from "./auth-config";
import { clientAddress, inList, normaliseIp } from "./client-address";
import { CSRF_HEADER, csrfToken, readCookie, safeEqual, SESSION_COOKIE, verifySession } from "./session-token";
import { isRole, type Actor } from "./roles";

export const PEER_HEADER = "x-portscope-peer";

interface HeaderBag {
  get(name: string): string | null;
}

export function peerOf(headers: HeaderBag): string | null {
  const p = headers.get(PEER_HEADER);
  return p ? normaliseIp(p) : null;
}

/** The address the audit log and the hook allow-list see. */
export function requestClientAddress(headers: HeaderBag, trustedProxies: readonly string[]): string | null {
  return clientAddress(peerOf(headers), headers.get("x-forwarded-for"), trustedProxies);
}

export interface Identity {
  actor: Actor;
  /** What the CSRF token is bound to: the session id, or the proxy-named user. */
  csrfBinding: string;
  /** Cookie sessions: when the cookie expires (ms). */
  expiresAt: number | null;
}

export function identify(headers: HeaderBag, cfg: AuthConfig, now = Date.now()): Identity | null {
  const base = { clientAddress: requestClientAddress(headers, cfg.trustedProxies), userAgent: headers.get("user-agent")?.slice(0, 300) ?? null };
  const ph = cfg.proxyHeader;
  if (ph && inList(peerOf(headers), ph.sources)) {
    const user = headers.get(ph.userHeader)?.trim();
    if (user && /^[\w.@+-]{1,128}$/.test(user)) {
      const named = ph.roleHeader ? headers.get(ph.roleHeader)?.trim().toLowerCase() : null;
      const role = isRole(named) ? named : ph.role;
      return { actor: { user, role, via: "proxy-header", ...base }, csrfBinding: `hdr:${user}`, expiresAt: null };
    }
  }
  const claims = verifySession(cfg.sessionSecret, readCookie(headers.get("cookie"), SESSION_COOKIE), now);
  if (!claims) return null;
  // A user removed from the list (or whose role changed) loses the old cookie's rights at once.
  const known = cfg.users.find((u) => u.user === claims.user);
  if (!known) return null;
  return { actor: { user: claims.user, role: known.role, via: "session", ...base }, csrfBinding: claims.sid, expiresAt: claims.exp };
}

/**
 * A state-changing request must come from our own pages: the browser's Origin
 * (when sent) names this host, Sec-Fetch-Site is not cross-site, and the CSRF
 * header matches the session's token. Returns why not, or null.
 */
export function csrfProblem(headers: HeaderBag, identity: Identity, cfg: AuthConfig): string | null {
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return `cross-site request (Sec-Fetch-Site: ${site.slice(0, 20)})`;
  const origin = headers.get("origin");
  if (origin) {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      return "unreadable Origin header";
    }
    const fromProxy = inList(peerOf(headers), cfg.trustedProxies) ? headers.get("x-forwarded-host") : null;
    const ours = [headers.get("host"), fromProxy].filter((h): h is string => !!h);
    if (!ours.includes(host)) return `Origin ${origin.slice(0, 100)} is not this site`;
  }
  const token = headers.get(CSRF_HEADER);
  if (!token || !safeEqual(token, csrfToken(cfg.sessionSecret, identity.csrfBinding))) return `missing or wrong ${CSRF_HEADER} header (copy the portscope_csrf cookie)`;
  return null;
}
