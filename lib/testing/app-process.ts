import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { hashPassword } from "../auth/users";
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from "../auth/cookie-names";
import type { Role } from "../auth/roles";

/** The accounts every test app has (unless the test sets PORTSCOPE_USERS itself): one per role, password `<role>-pass`. */
export const TEST_PASSWORD = (role: Role) => `${role}-pass`;
const TEST_USERS = (["viewer", "operator", "admin"] as const).map((r) => `${r}:${r}:${hashPassword(TEST_PASSWORD(r), 4)}`).join(",");

/** A signed-in client: its cookie and CSRF header, ready for fetch. */
export interface SignedIn {
  user: string;
  headers: Record<string, string>;
  fetch(url: string, init?: RequestInit): Promise<Response>;
}

/** Signs in through the real API (POST /api/auth/signin) and keeps the cookies it set. */
export async function signIn(baseUrl: string, user: string, password: string): Promise<SignedIn> {
  const res = await fetch(`${baseUrl}/api/auth/signin`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user, password }) });
  if (!res.ok) throw new Error(`sign-in as ${user} answered HTTP ${res.status}: ${await res.text()}`);
  const jar = new Map<string, string>();
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(";");
    const eq = pair.indexOf("=");
    jar.set(pair.slice(0, eq), decodeURIComponent(pair.slice(eq + 1)));
  }
  const headers = { cookie: `${SESSION_COOKIE}=${encodeURIComponent(jar.get(SESSION_COOKIE) ?? "")}; ${CSRF_COOKIE}=${jar.get(CSRF_COOKIE) ?? ""}`, [CSRF_HEADER]: jar.get(CSRF_COOKIE) ?? "" };
  return { user, headers, fetch: (url, init = {}) => fetch(url, { ...init, headers: { ...headers, ...(init.headers as Record<string, string> | undefined) } }) };
}

/**
 * Runs the built Portscope app (`next start`) as a real child process, for
 * integration tests that need the whole chain: hooks over HTTP, the durable
 * log on disk, SSE to a real client, and SIGKILL.
 */
export interface AppProcess {
  url: string;
  port: number;
  zlmPort: number;
  child: ChildProcess;
  output: () => string;
  /** fetch as the test admin (cookie + CSRF header): for tests that are not about access control. */
  fetch(url: string, init?: RequestInit): Promise<Response>;
  /** Signs in as one of the test accounts (see TEST_PASSWORD). */
  signInAs(role: Role): Promise<SignedIn>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startApp(env: Record<string, string>, opts: { port?: number; zlmPort?: number; readyTimeoutMs?: number } = {}): Promise<AppProcess> {
  const root = path.resolve(__dirname, "../..");
  const port = opts.port ?? (await freePort());
  const zlmPort = opts.zlmPort ?? (await freePort());
  const nextBin = path.join(root, "node_modules/next/dist/bin/next");
  const cleanEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("ZLM_") && !k.startsWith("PORTSCOPE_")) cleanEnv[k] = v;
  const child = spawn(process.execPath, [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: { ...cleanEnv, NODE_ENV: "production", PORT: String(port), PORTSCOPE_ZLM_PORT: String(zlmPort), PORTSCOPE_ZLM_HOST: "127.0.0.1", PORTSCOPE_USERS: TEST_USERS, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (out += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}:\n${out}`);
    try {
      // Signed out, the API answers 401: that is the app up and refusing, i.e. ready.
      const r = await fetch(`${url}/api/nodes`, { signal: AbortSignal.timeout(2000) });
      if (r.ok || r.status === 401) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`app not ready in time:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  let admin: Promise<SignedIn> | null = null;
  const signInAs = (role: Role) => signIn(url, role, TEST_PASSWORD(role));
  return {
    url,
    port,
    zlmPort,
    child,
    output: () => out,
    signInAs,
    fetch: async (u, init) => {
      admin ??= signInAs("admin").catch((err) => {
        admin = null;
        throw err;
      });
      return (await admin).fetch(u, init);
    },
    kill: (signal = "SIGTERM") =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill(signal);
      }),
  };
}
