import { z } from "zod";
import { startWvpPlatform } from "./wvp-platform";
import { playTable, summarizePlays } from "./wvp-summary";

/**
 * `npm run sim -- platform --zlm-url URL --secret S [...]`: the wvp-like
 * platform against any ZLM (the emulator, a real build, or Portscope's tap
 * at http://<portscope>:3001/zlm/<node>) for a while, then its figures.
 */
export const PLATFORM_HELP = `wvp-like platform (Portscope)

Usage: npm run sim -- platform --zlm-url URL --secret S [flags]

  --zlm-url URL          ZLM base URL (or the tap's /zlm/<node>)   required
  --secret S             api.secret                                required
  --channels N           cameras played at once                    default 10
  --seed N               seed for every random choice              default 1
  --duration-sec N       how long to play, then report             default 60
  --stream-ids MODE      channel (deviceId_channelId) or ssrc      default channel
  --play-timeout-ms N    the platform's own play timer             default 10000
  --double-click-rate P  share of plays clicked twice              default 0.15
  --silent-rate P        share of INVITEs never answered           default 0.1
  --verbose              print every failing call
`;

const schema = z.object({
  "zlm-url": z.url({ error: "--zlm-url must be a URL" }),
  secret: z.string({ error: "--secret is required" }).min(1),
  channels: z.coerce.number().int().min(1).max(500).default(10),
  seed: z.coerce.number().int().default(1),
  "duration-sec": z.coerce.number().positive().default(60),
  "stream-ids": z.enum(["channel", "ssrc"]).default("channel"),
  "play-timeout-ms": z.coerce.number().int().min(1000).default(10_000),
  "double-click-rate": z.coerce.number().min(0).max(1).default(0.15),
  "silent-rate": z.coerce.number().min(0).max(1).default(0.1),
  verbose: z.boolean().default(false),
});

export function parsePlatformArgs(argv: string[]): z.infer<typeof schema> {
  const raw: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, "");
    if (!argv[i].startsWith("--") || !(name in schema.shape)) throw new Error(`unknown argument "${argv[i]}" (see --help)`);
    raw[name] = name === "verbose" ? true : (argv[++i] ?? "");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("; "));
  return parsed.data;
}

export async function runPlatformCli(argv: string[]): Promise<void> {
  if (argv.includes("--help")) {
    process.stdout.write(PLATFORM_HELP);
    return;
  }
  const a = parsePlatformArgs(argv);
  const platform = startWvpPlatform({
    zlmUrl: a["zlm-url"],
    secret: a.secret,
    channels: a.channels,
    seed: a.seed,
    streamIds: a["stream-ids"],
    playTimeoutMs: a["play-timeout-ms"],
    doubleClickRate: a["double-click-rate"],
    silentRate: a["silent-rate"],
    logger: a.verbose ? (l) => process.stdout.write(`${l}\n`) : undefined,
  });
  const stop = async () => {
    await platform.stop();
    process.stdout.write(`${playTable([{ name: a["zlm-url"], summary: summarizePlays(platform.stats()) }])}\n`);
  };
  process.once("SIGINT", () => void stop().then(() => process.exit(0)));
  await new Promise((r) => setTimeout(r, a["duration-sec"] * 1000));
  await stop();
}
