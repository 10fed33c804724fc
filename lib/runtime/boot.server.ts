import "server-only";
import { ConfigError } from "../config/env";
import { getConfig } from "../config/index.server";
import { getPortscope } from "./portscope.server";
import { getAuthConfig } from "../auth/index.server";
import { stampPeerAddresses } from "./peer-address.server";

/** Start-up of the server process (called from instrumentation.ts, Node runtime only). */
export async function boot(): Promise<void> {
  try {
    stampPeerAddresses();
    getConfig();
    const auth = getAuthConfig();
    if (auth.demoAccounts) console.log(`portscope: demo mode sign-in accounts (password "${auth.demoAccounts[0].password}"): ${auth.demoAccounts.map((a) => a.user).join(", ")} — set PORTSCOPE_USERS to replace them`);
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
