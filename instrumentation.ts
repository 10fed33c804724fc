/**
 * Runs once per server process before the first request. A bad configuration
 * stops start-up here with the variable's name; demo mode's emulator starts
 * here so the dashboard is live before anyone opens it.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { ConfigError } = await import("./lib/config/env");
  try {
    const { getConfig } = await import("./lib/config/index.server");
    getConfig();
    const { getNodes } = await import("./lib/nodes/registry.server");
    await getNodes();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Portscope cannot start: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}
