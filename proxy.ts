import { NextResponse, type NextRequest } from "next/server";
import { getAuthConfig } from "@/lib/auth/index.server";
import { csrfProblem, identify } from "@/lib/auth/identify";
import { ruleFor } from "@/lib/auth/route-permissions";
import { can } from "@/lib/auth/roles";
import { securityHeaders } from "@/lib/auth/security-headers";
import { CSRF_COOKIE, csrfToken, readCookie } from "@/lib/auth/session-token";

/**
 * The first gate (Next 16's proxy, formerly middleware): signed-out pages go
 * to /signin, signed-out API calls get 401, a role without the permission gets
 * 403, a state change without same-origin + CSRF token gets 403. Every route
 * checks again (lib/auth/guard.server.ts). ZLM's hooks (hook token), the tap
 * (ZLM's own secret) and /api/health (monitors) pass through.
 */
export function proxy(request: NextRequest): NextResponse {
  const { pathname, search } = request.nextUrl;
  const rule = ruleFor(request.method, pathname);
  if (rule.kind === "static") return NextResponse.next();
  const cfg = getAuthConfig();
  const headers = securityHeaders(cfg.frameAncestors, process.env.NODE_ENV !== "production");
  const isApi = pathname.startsWith("/api/") || pathname.startsWith("/zlm/");
  const withHeaders = (res: NextResponse) => {
    for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
    return res;
  };
  const refuse = (status: number, error: string, message: string) => withHeaders(NextResponse.json({ error, message }, { status, headers: { "cache-control": "no-store" } }));
  if (rule.kind === "public") return withHeaders(NextResponse.next());

  const id = identify(request.headers, cfg);
  if (!id) {
    if (isApi) return refuse(401, "unauthenticated", "Sign in first (POST /api/auth/signin).");
    const to = new URL("/signin", request.url);
    to.searchParams.set("next", `${pathname}${search}`);
    return withHeaders(NextResponse.redirect(to, 303));
  }
  if (!can(id.actor.role, rule.permission)) return refuse(403, "forbidden", `Role ${id.actor.role} may not ${rule.permission}.`);
  if (rule.mutating) {
    const problem = csrfProblem(request.headers, id, cfg);
    if (problem) return refuse(403, "csrf", problem);
  }
  const res = withHeaders(NextResponse.next());
  // Pages (re)issue the readable CSRF cookie the browser's fetches copy into a header.
  if (!isApi) {
    const token = csrfToken(cfg.sessionSecret, id.csrfBinding);
    if (readCookie(request.headers.get("cookie"), CSRF_COOKIE) !== token) {
      const secure = cfg.cookieSecure === "always" || (cfg.cookieSecure === "auto" && request.headers.get("x-forwarded-proto") === "https");
      res.cookies.set(CSRF_COOKIE, token, { path: "/", sameSite: "lax", httpOnly: false, secure, maxAge: id.expiresAt ? Math.max(1, Math.floor((id.expiresAt - Date.now()) / 1000)) : 86_400 });
    }
  }
  return res;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image).*)"],
};
