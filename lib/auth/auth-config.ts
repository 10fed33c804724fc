/**
 * Sign-in settings, parsed once from the environment with zod; a bad value
 * stops start-up naming the variable (ConfigError, like lib/config). Without
 * any ZLM configured (demo mode) and without users, the three demo accounts
 * are used and shown on the sign-in page; outside demo mode users (or
 * trusted header auth) are required.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { ConfigError } from "../config/env";
import { ROLES, type Role } from "./roles";
import { duplicateUser, hashPassword, parseUserList, userListSchema, type UserRecord } from "./users";

export interface ProxyHeaderAuth {
  /** Header holding the user name (lower-case), e.g. x-forwarded-user (oauth2-proxy) or remote-user. */
  userHeader: string;
  /** Optional header holding a role name; without it (or with an unknown value) `role` applies. */
  roleHeader: string | null;
  role: Role;
  /** Peers allowed to set these headers (addresses or IPv4 CIDR); anyone else's header is ignored. */
  sources: string[];
}

export interface AuthConfig {
  users: UserRecord[];
  /** The demo accounts are in use: shown on the sign-in page and in the console. */
  demoAccounts: { user: string; role: Role; password: string }[] | null;
  sessionSecret: string;
  sessionMs: number;
  cookieSecure: "auto" | "always" | "never";
  trustedProxies: string[];
  proxyHeader: ProxyHeaderAuth | null;
  /** CSP frame-ancestors: who may embed the dashboard (a wall screen's kiosk page). */
  frameAncestors: string;
  signinPerMinute: number;
  actionsPerMinute: number;
}

type Env = Record<string, string | undefined>;

const DEMO_PASSWORD = "demo";

const ipOrCidr = z.string().regex(/^(\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?|[0-9A-Fa-f:]+)$/, "must be an IP address or IPv4 CIDR block");

function parse<T>(variable: string, schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new ConfigError(variable, r.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ` : "") + i.message).join("; "));
  return r.data;
}

const list = (v: string | undefined) => (v ? v.split(",").map((s) => s.trim()).filter(Boolean) : []);
const int = (min: number, max: number) => z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

export function parseAuthConfig(env: Env, readFile: (path: string) => string): AuthConfig {
  const demoMode = !env.ZLM_URL && !env.PORTSCOPE_NODES;
  if (env.PORTSCOPE_USERS && env.PORTSCOPE_USERS_FILE) throw new ConfigError("PORTSCOPE_USERS", "set either PORTSCOPE_USERS or PORTSCOPE_USERS_FILE, not both");
  let users: UserRecord[] = [];
  if (env.PORTSCOPE_USERS_FILE) {
    let json: unknown;
    try {
      json = JSON.parse(readFile(env.PORTSCOPE_USERS_FILE));
    } catch (err) {
      throw new ConfigError("PORTSCOPE_USERS_FILE", `cannot read ${env.PORTSCOPE_USERS_FILE} as JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    users = parse("PORTSCOPE_USERS_FILE", userListSchema, json);
  } else if (env.PORTSCOPE_USERS) {
    users = parse("PORTSCOPE_USERS", userListSchema, parseUserList(env.PORTSCOPE_USERS));
  }
  const dup = duplicateUser(users);
  if (dup) throw new ConfigError(env.PORTSCOPE_USERS_FILE ? "PORTSCOPE_USERS_FILE" : "PORTSCOPE_USERS", `user "${dup}" appears twice`);

  let proxyHeader: ProxyHeaderAuth | null = null;
  if (env.PORTSCOPE_AUTH_HEADER) {
    const sources = list(env.PORTSCOPE_AUTH_HEADER_SOURCES);
    if (sources.length === 0) throw new ConfigError("PORTSCOPE_AUTH_HEADER_SOURCES", "required with PORTSCOPE_AUTH_HEADER: the reverse proxies allowed to name the user");
    for (const s of sources) parse("PORTSCOPE_AUTH_HEADER_SOURCES", ipOrCidr, s);
    proxyHeader = {
      userHeader: parse("PORTSCOPE_AUTH_HEADER", z.string().regex(/^[A-Za-z0-9-]{1,64}$/, "must be a header name"), env.PORTSCOPE_AUTH_HEADER).toLowerCase(),
      roleHeader: env.PORTSCOPE_AUTH_ROLE_HEADER ? parse("PORTSCOPE_AUTH_ROLE_HEADER", z.string().regex(/^[A-Za-z0-9-]{1,64}$/, "must be a header name"), env.PORTSCOPE_AUTH_ROLE_HEADER).toLowerCase() : null,
      role: env.PORTSCOPE_AUTH_HEADER_ROLE ? parse("PORTSCOPE_AUTH_HEADER_ROLE", z.enum(ROLES, { error: 'must be "viewer", "operator" or "admin"' }), env.PORTSCOPE_AUTH_HEADER_ROLE) : "viewer",
      sources,
    };
  }

  let demoAccounts: AuthConfig["demoAccounts"] = null;
  if (users.length === 0) {
    if (!demoMode && !proxyHeader) throw new ConfigError("PORTSCOPE_USERS", "no users: set PORTSCOPE_USERS or PORTSCOPE_USERS_FILE (hashes from `node scripts/hash-password.mjs`), or PORTSCOPE_AUTH_HEADER behind a signing-in proxy");
    if (demoMode) {
      demoAccounts = ROLES.map((role) => ({ user: role, role, password: DEMO_PASSWORD }));
      users = demoAccounts.map((a) => ({ user: a.user, role: a.role, passwordHash: hashPassword(a.password, 8) }));
    }
  }

  const trustedProxies = list(env.PORTSCOPE_TRUSTED_PROXIES);
  for (const p of trustedProxies) parse("PORTSCOPE_TRUSTED_PROXIES", ipOrCidr, p);
  const secret = env.PORTSCOPE_SESSION_SECRET ? parse("PORTSCOPE_SESSION_SECRET", z.string().min(32, "must be at least 32 characters"), env.PORTSCOPE_SESSION_SECRET) : randomBytes(32).toString("hex");
  const frameAncestors = env.PORTSCOPE_FRAME_ANCESTORS ? parse("PORTSCOPE_FRAME_ANCESTORS", z.string().regex(/^[A-Za-z0-9 .:/*'_-]{1,500}$/, "must be a CSP source list, e.g. \"'self' https://wall.example.com\""), env.PORTSCOPE_FRAME_ANCESTORS) : "'self'";
  const optionalInt = (name: string, min: number, max: number, fallback: number) => (env[name] ? parse(name, int(min, max), env[name]) : fallback);

  return {
    users,
    demoAccounts,
    sessionSecret: secret,
    sessionMs: optionalInt("PORTSCOPE_SESSION_HOURS", 1, 24 * 30, 12) * 3_600_000,
    cookieSecure: env.PORTSCOPE_COOKIE_SECURE ? parse("PORTSCOPE_COOKIE_SECURE", z.enum(["auto", "always", "never"], { error: 'must be "auto", "always" or "never"' }), env.PORTSCOPE_COOKIE_SECURE) : "auto",
    trustedProxies,
    proxyHeader,
    frameAncestors,
    signinPerMinute: optionalInt("PORTSCOPE_SIGNIN_PER_MINUTE", 1, 10_000, 10),
    actionsPerMinute: optionalInt("PORTSCOPE_ACTIONS_PER_MINUTE", 1, 100_000, 120),
  };
}
