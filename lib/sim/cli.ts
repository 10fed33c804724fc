import { parseCliArgs, toEmulatorOptions, CLI_HELP } from "./cli-args";
import { startEmulator } from "./emulator";
import { startControlServer } from "./control";

/** `npm run sim -- --secret S ...`: the emulator as a standalone ZLM stand-in; `npm run sim -- platform ...`: the wvp-like platform. */
async function main(): Promise<void> {
  if (process.argv[2] === "platform") {
    // `npm run sim -- platform ...`: the wvp-like platform against any ZLM, not the emulator.
    const { runPlatformCli } = await import("./wvp-cli");
    await runPlatformCli(process.argv.slice(3)).catch((err: unknown) => {
      process.stderr.write(`sim platform: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(2);
    });
    return;
  }
  let args;
  try {
    args = parseCliArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`sim: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(CLI_HELP);
    return;
  }
  const emu = await startEmulator({ ...toEmulatorOptions(args), log: (line) => process.stdout.write(`${line}\n`) });
  process.stdout.write(`ZLM emulator listening on ${emu.url} (mediaServerId ${emu.mediaServerId})\n`);
  const control = args["control-port"] !== undefined ? await startControlServer(emu, args["control-port"]) : null;
  if (control) process.stdout.write(`control API on ${control.url}\n`);
  const shutdown = async () => {
    await control?.close();
    await emu.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
}

void main();
