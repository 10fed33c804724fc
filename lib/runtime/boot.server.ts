import "server-only";
import { ConfigError } from "../config/env";
import { getConfig } from "../config/index.server";
import { getPortscope } from "./portscope.server";

/** Start-up of the server process (called from instrumentation.ts, Node runtime only). */
export async function boot(): Promise<void> {
  try {
    getConfig();
    const ps = await getPortscope();
    if (ps.listener) console.log(`portscope: ZLM hook listener on port ${ps.listener.port} (POST /api/hooks/<hook_name>)`);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Portscope cannot start: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}
