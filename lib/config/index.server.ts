import "server-only";
import fs from "node:fs";
import { randomBytes } from "node:crypto";
import { parseConfig, type PortscopeConfig } from "./env";

const KEY = Symbol.for("portscope.config");
type Holder = { [KEY]?: PortscopeConfig };

/**
 * The process's configuration, parsed once. In demo mode without an explicit
 * token one is generated, so even the demo's hook port is not open to anyone.
 */
export function getConfig(): PortscopeConfig {
  const g = globalThis as Holder;
  if (!g[KEY]) {
    const config = parseConfig(process.env, (p) => fs.readFileSync(p, "utf8"));
    if (config.nodes.mode === "demo" && !config.hookToken) config.hookToken = randomBytes(12).toString("hex");
    g[KEY] = config;
  }
  return g[KEY];
}
