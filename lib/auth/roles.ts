/**
 * Who may do what. Browser-safe: components read it to disable what a role
 * cannot do, routes read it to refuse (the server is the authority).
 */
export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** read: every page and read API; act: close/reopen/pause/resume, incident marks; configure: timeoutSec, race shield, users; audit: the audit log and its export. */
export type Permission = "read" | "act" | "configure" | "audit";

const GRANTS: Record<Role, readonly Permission[]> = {
  viewer: ["read"],
  operator: ["read", "act"],
  admin: ["read", "act", "configure", "audit"],
};

export function can(role: Role | null | undefined, permission: Permission): boolean {
  return !!role && GRANTS[role].includes(permission);
}

export function isRole(v: unknown): v is Role {
  return typeof v === "string" && (ROLES as readonly string[]).includes(v);
}

/** The signed-in person as routes and the audit log see them. */
export interface Actor {
  user: string;
  role: Role;
  /** How they proved it: a Portscope session cookie, or a trusted reverse proxy's header. */
  via: "session" | "proxy-header";
  /** The socket's address, or the first untrusted hop of X-Forwarded-For when the socket is a trusted proxy. */
  clientAddress: string | null;
  userAgent: string | null;
}

/** What GET /api/auth/me answers. */
export interface Me {
  user: string;
  role: Role;
  via: Actor["via"];
  can: Record<Permission, boolean>;
  /** Demo mode: the built-in accounts are in use. */
  demo: boolean;
}
