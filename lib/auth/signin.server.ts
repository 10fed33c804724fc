import "server-only";
import { z } from "zod";
import { getAuthConfig } from "./index.server";
import { identify, requestClientAddress } from "./identify";
import { RateLimiter } from "./rate-limit";
import { can, ROLES, type Me, type Role } from "./roles";
import { checkPassword } from "./users";
import { cookieHeader, CSRF_COOKIE, csrfToken, newSessionId, SESSION_COOKIE, signSession } from "./session-token";
import type { AuthConfig } from "./auth-config";

/** Sign-in, sign-out and "who am I": the cookies they set, the answers they give. */
const signInSchema = z.object({ user: z.string().min(1).max(64), password: z.string().min(1).max(200) }).strict();

const KEY = Symbol.for("portscope.signinLimiter");
type Holder = { [KEY]?: RateLimiter };

const json = (body: unknown, status = 200, headers: [string, string][] = []) => {
  const h = new Headers({ "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  for (const [k, v] of headers) h.append(k, v);
  return new Response(JSON.stringify(body), { status, headers: h });
};

function secureCookies(request: Request, cfg: AuthConfig): boolean {
  if (cfg.cookieSecure !== "auto") return cfg.cookieSecure === "always";
  return request.headers.get("x-forwarded-proto") === "https" || request.url.startsWith("https:");
}

export function meOf(user: string, role: Role, via: Me["via"], cfg: AuthConfig): Me {
  return { user, role, via, demo: cfg.demoAccounts !== null, can: { read: can(role, "read"), act: can(role, "act"), configure: can(role, "configure"), audit: can(role, "audit") } };
}

export interface SignInOutcome {
  response: Response;
  /** For the audit log: who tried, from where, and whether it worked. */
  attempt: { user: string | null; ok: boolean; clientAddress: string | null; userAgent: string | null; why: string | null };
}

export async function signIn(request: Request): Promise<SignInOutcome> {
  const cfg = getAuthConfig();
  const clientAddress = requestClientAddress(request.headers, cfg.trustedProxies);
  const userAgent = request.headers.get("user-agent")?.slice(0, 300) ?? null;
  const attempt = (user: string | null, ok: boolean, why: string | null) => ({ user, ok, clientAddress, userAgent, why });
  const origin = request.headers.get("origin");
  if (origin && (() => { try { return new URL(origin).host !== request.headers.get("host"); } catch { return true; } })()) {
    return { response: json({ error: "csrf", message: "Sign in from Portscope's own page." }, 403), attempt: attempt(null, false, "cross-origin") };
  }
  const limiter = ((globalThis as Holder)[KEY] ??= new RateLimiter(cfg.signinPerMinute, 60_000));
  const wait = limiter.hit(clientAddress ?? "unknown");
  if (wait > 0) return { response: json({ error: "rate_limited", message: `Too many sign-in attempts; try again in ${Math.ceil(wait / 1000)} s.` }, 429, [["retry-after", String(Math.ceil(wait / 1000))]]), attempt: attempt(null, false, "rate_limited") };
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return { response: json({ error: "invalid_json", message: "The body must be JSON: { user, password }." }, 400), attempt: attempt(null, false, "invalid_json") };
  }
  const parsed = signInSchema.safeParse(body);
  if (!parsed.success) return { response: json({ error: "invalid_input", message: "Send { user, password }." }, 422), attempt: attempt(null, false, "invalid_input") };
  const found = await checkPassword(cfg.users, parsed.data.user, parsed.data.password);
  if (!found) return { response: json({ error: "bad_credentials", message: "Wrong user or password." }, 401), attempt: attempt(parsed.data.user, false, "bad_credentials") };
  const sid = newSessionId();
  const exp = Date.now() + cfg.sessionMs;
  const secure = secureCookies(request, cfg);
  const maxAgeSec = Math.floor(cfg.sessionMs / 1000);
  const cookies: [string, string][] = [
    ["set-cookie", cookieHeader(SESSION_COOKIE, signSession(cfg.sessionSecret, { user: found.user, role: found.role, sid, exp }), { maxAgeSec, httpOnly: true, secure })],
    ["set-cookie", cookieHeader(CSRF_COOKIE, csrfToken(cfg.sessionSecret, sid), { maxAgeSec, httpOnly: false, secure })],
  ];
  return { response: json({ ...meOf(found.user, found.role, "session", cfg), expiresAt: exp }, 200, cookies), attempt: attempt(found.user, true, null) };
}

export function signOut(request: Request): Response {
  const cfg = getAuthConfig();
  const secure = secureCookies(request, cfg);
  return json({ ok: true }, 200, [
    ["set-cookie", cookieHeader(SESSION_COOKIE, "", { maxAgeSec: 0, httpOnly: true, secure })],
    ["set-cookie", cookieHeader(CSRF_COOKIE, "", { maxAgeSec: 0, httpOnly: false, secure })],
  ]);
}

export function whoAmI(request: Request): Response {
  const cfg = getAuthConfig();
  const id = identify(request.headers, cfg);
  if (!id) return json({ error: "unauthenticated", message: "Not signed in." }, 401);
  // A proxy-header user gets the CSRF cookie here (no sign-in step sets it).
  const extra: [string, string][] = id.actor.via === "proxy-header" ? [["set-cookie", cookieHeader(CSRF_COOKIE, csrfToken(cfg.sessionSecret, id.csrfBinding), { maxAgeSec: 86_400, httpOnly: false, secure: secureCookies(request, cfg) })]] : [];
  return json(meOf(id.actor.user, id.actor.role, id.actor.via, cfg), 200, extra);
}

/** What the sign-in page shows: the demo accounts (demo mode only) and the roles. */
export function signInPageInfo(): { demoAccounts: { user: string; role: Role; password: string }[] | null; roles: readonly Role[] } {
  return { demoAccounts: getAuthConfig().demoAccounts, roles: ROLES };
}
