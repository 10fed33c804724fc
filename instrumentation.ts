/**
 * Runs once per server process before the first request. A bad configuration
 * stops start-up with the variable's name; the event log, hook listener,
 * pollers and (demo mode) the emulator start here, so the dashboard is live
 * before anyone opens it.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { boot } = await import("./lib/runtime/boot.server");
  await boot();
}
