import "server-only";
import { getAuthConfig } from "./index.server";
import { csrfProblem, identify } from "./identify";
import { RateLimiter } from "./rate-limit";
import { can, type Actor, type Permission } from "./roles";

/**
 * The check inside every route (defence in depth behind proxy.ts): 401 when
 * nobody is signed in, 403 when the role may not, 403 for a state change
 * without same-origin + CSRF token, 429 past the per-user action rate.
 */
export type Guarded = { actor: Actor } | { response: Response };

const KEY = Symbol.for("portscope.actionLimiter");
type Holder = { [KEY]?: RateLimiter };

const deny = (status: number, error: string, message: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ error, message }), { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers } });

export function guard(request: Request, permission: Permission): Guarded {
  const cfg = getAuthConfig();
  const id = identify(request.headers, cfg);
  if (!id) return { response: deny(401, "unauthenticated", "Sign in first (POST /api/auth/signin).") };
  if (!can(id.actor.role, permission)) return { response: deny(403, "forbidden", `Role ${id.actor.role} may not ${permission}.`) };
  if (request.method !== "GET" && request.method !== "HEAD") {
    const problem = csrfProblem(request.headers, id, cfg);
    if (problem) return { response: deny(403, "csrf", problem) };
    if (permission !== "read") {
      const g = globalThis as Holder;
      const limiter = (g[KEY] ??= new RateLimiter(cfg.actionsPerMinute, 60_000));
      const wait = limiter.hit(id.actor.user);
      if (wait > 0) return { response: deny(429, "rate_limited", `Too many actions by ${id.actor.user}; try again in ${Math.ceil(wait / 1000)} s.`, { "retry-after": String(Math.ceil(wait / 1000)) }) };
    }
  }
  return { actor: id.actor };
}

/** A route handler that runs only for a permitted, signed-in actor. */
export function withPermission<C>(permission: Permission, handler: (request: Request, ctx: C, actor: Actor) => Promise<Response>): (request: Request, ctx: C) => Promise<Response> {
  return async (request, ctx) => {
    const g = guard(request, permission);
    return "response" in g ? g.response : handler(request, ctx, g.actor);
  };
}

/** For read routes: the refusal to return, or null when a signed-in user may read. */
export function readDenied(request: Request): Response | null {
  const g = guard(request, "read");
  return "response" in g ? g.response : null;
}
