/**
 * What each path needs, for the proxy's first check (the routes check again).
 * `public` paths authenticate otherwise: ZLM's hooks carry the hook token, the
 * tap forwards ZLM's own secret for ZLM to check, health is for monitors,
 * /metrics takes its own bearer token (docs/metrics.md).
 */
import type { Permission } from "./roles";

export type PathRule = { kind: "public" } | { kind: "static" } | { kind: "needs"; permission: Permission; mutating: boolean };

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function ruleFor(method: string, pathname: string): PathRule {
  if (pathname.startsWith("/_next/") || pathname === "/favicon.ico" || pathname === "/icon.svg") return { kind: "static" };
  if (pathname === "/signin" || pathname.startsWith("/api/auth/") || pathname === "/api/health" || pathname === "/metrics" || pathname.startsWith("/api/hooks/") || pathname.startsWith("/zlm/")) return { kind: "public" };
  const mutating = MUTATING.has(method.toUpperCase());
  if (pathname.startsWith("/api/audit") || pathname === "/audit") return { kind: "needs", permission: "audit", mutating };
  if (!mutating) return { kind: "needs", permission: "read", mutating };
  if (/^\/api\/nodes\/[^/]+\/rtp\/preflight$/.test(pathname)) return { kind: "needs", permission: "read", mutating };
  if (/^\/api\/nodes\/[^/]+\/config\//.test(pathname)) return { kind: "needs", permission: "configure", mutating };
  return { kind: "needs", permission: "act", mutating };
}
