import { z } from "zod";
import type { EmulatorOptions } from "./emulator";

export const CLI_HELP = `ZLMediaKit emulator (Portscope)

Usage: npm run sim -- [flags]

  --port N               HTTP API port (ZLM's http.port)            default 8080
  --host IP              address for the API and every RTP socket   default 127.0.0.1
  --secret S             api.secret                                 required
  --hook-url BASE        hooks go to BASE/<hook_name> (query kept)  default: hooks off
  --media-server-id ID   general.mediaServerId                      default zlm-sim
  --timeout-sec N        rtp_proxy.timeoutSec                       default 15
  --port-range A-B       rtp_proxy.port_range                       default 30000-35000
  --alive-interval N     hook.alive_interval (s, keepalive hooks)   default 10
  --hook-timeout-sec N   hook.timeoutSec                            default 10
  --hook-retry N         hook.retry                                 default 1
  --hook-retry-delay N   hook.retry_delay (s)                       default 3
  --cameras N            simulated cameras + platform               default 0
  --seed N               seed for every random choice               default: time
  --legacy-teardown      pre-June-2024 teardown order (RtpSelector era)
  --assertion-rate P     share of concurrent-open losers answered with -400 assertion  default 0.05
  --control-port N       extra HTTP listener for knobs/restart (see lib/sim/control.ts)
  --help                 this text
`;

const int = (name: string) =>
  z.coerce.number({ error: `--${name} must be a number` }).int(`--${name} must be a whole number`);

const schema = z.object({
  port: int("port").min(0).max(65535).default(8080),
  host: z.string().default("127.0.0.1"),
  secret: z.string({ error: "--secret is required" }).min(1, "--secret is required"),
  "hook-url": z.url({ error: "--hook-url must be a URL" }).optional(),
  "media-server-id": z.string().min(1).default("zlm-sim"),
  "timeout-sec": int("timeout-sec").min(1).default(15),
  "port-range": z
    .string()
    .regex(/^\d+-\d+$/, "--port-range must look like 30000-35000")
    .default("30000-35000"),
  "alive-interval": z.coerce.number().positive().default(10),
  "hook-timeout-sec": z.coerce.number().positive().default(10),
  "hook-retry": int("hook-retry").min(0).default(1),
  "hook-retry-delay": z.coerce.number().min(0).default(3),
  cameras: int("cameras").min(0).default(0),
  seed: int("seed").optional(),
  "legacy-teardown": z.boolean().default(false),
  "assertion-rate": z.coerce.number().min(0).max(1).default(0.05),
  "control-port": int("control-port").min(0).max(65535).optional(),
  help: z.boolean().default(false),
});

export type CliArgs = z.infer<typeof schema>;

const BOOLEAN_FLAGS = new Set(["legacy-teardown", "help"]);

/** Parses `--flag value` pairs; throws an Error naming the bad flag. */
export function parseCliArgs(argv: string[]): CliArgs {
  const raw: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) throw new Error(`unexpected argument "${a}" (see --help)`);
    const [name, inline] = a.slice(2).split("=", 2);
    if (BOOLEAN_FLAGS.has(name)) raw[name] = true;
    else if (inline !== undefined) raw[name] = inline;
    else if (i + 1 < argv.length) raw[name] = argv[++i];
    else throw new Error(`--${name} needs a value`);
  }
  if (raw.help) return schema.parse({ secret: "-", help: true });
  const unknown = Object.keys(raw).filter((k) => !(k in schema.shape));
  if (unknown.length) throw new Error(`unknown flag --${unknown[0]} (see --help)`);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join("; "));
  const [lo, hi] = parsed.data["port-range"].split("-").map(Number);
  if (lo >= hi || hi > 65535) throw new Error("--port-range must be A-B with A < B <= 65535");
  return parsed.data;
}

export function toEmulatorOptions(a: CliArgs): EmulatorOptions {
  const [lo, hi] = a["port-range"].split("-").map(Number);
  return {
    host: a.host,
    httpPort: a.port,
    secret: a.secret,
    mediaServerId: a["media-server-id"],
    hookUrl: a["hook-url"] ?? null,
    timeoutSec: a["timeout-sec"],
    portRange: [lo, hi],
    aliveIntervalSec: a["alive-interval"],
    hookTimeoutSec: a["hook-timeout-sec"],
    hookRetry: a["hook-retry"],
    hookRetryDelaySec: a["hook-retry-delay"],
    cameras: a.cameras,
    seed: a.seed,
    knobs: { teardownOrder: a["legacy-teardown"] ? "legacy" : "current", assertionRate: a["assertion-rate"] },
  };
}
