import "server-only";
import fs from "node:fs";
import { parseAuthConfig, type AuthConfig } from "./auth-config";

const KEY = Symbol.for("portscope.auth");
type Holder = { [KEY]?: AuthConfig };

/** The process's sign-in settings, parsed once (kept on globalThis: the proxy and route bundles must share the session secret). */
export function getAuthConfig(): AuthConfig {
  const g = globalThis as Holder;
  g[KEY] ??= parseAuthConfig(process.env, (p) => fs.readFileSync(p, "utf8"));
  return g[KEY];
}
