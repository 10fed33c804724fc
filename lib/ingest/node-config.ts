/**
 * The few getServerConfig values that shape an RTP port's life (reference
 * 5.1a), pulled out of ZLM's all-strings config. Hook URLs are kept so the UI
 * can tell an operator when ZLM is not pointed at Portscope.
 */
import { redactSecrets } from "../zlm/redact";

export interface NodeConfigSummary {
  mediaServerId: string | null;
  timeoutSec: number;
  portRange: [number, number] | null;
  hookEnabled: boolean;
  hookUrls: Record<string, string>;
  hookTimeoutSec: number | null;
  aliveIntervalSec: number | null;
  streamNoneReaderDelayMs: number | null;
}

export function nodeConfigFromServerConfig(config: Record<string, unknown>): NodeConfigSummary {
  const str = (k: string): string | null => (typeof config[k] === "string" ? (config[k] as string) : config[k] == null ? null : String(config[k]));
  const num = (k: string): number | null => {
    const v = str(k);
    const n = v === null || v === "" ? NaN : Number(v);
    return Number.isFinite(n) ? n : null;
  };
  const hookUrls: Record<string, string> = {};
  for (const k of Object.keys(config).sort()) {
    if (k.startsWith("hook.on_") && str(k)) hookUrls[k.slice(5)] = redactSecrets(str(k)!);
  }
  return {
    mediaServerId: str("general.mediaServerId"),
    timeoutSec: num("rtp_proxy.timeoutSec") ?? 15,
    portRange: parsePortRange(str("rtp_proxy.port_range")),
    hookEnabled: str("hook.enable") === "1",
    hookUrls,
    hookTimeoutSec: num("hook.timeoutSec"),
    aliveIntervalSec: num("hook.alive_interval"),
    streamNoneReaderDelayMs: num("general.streamNoneReaderDelayMS"),
  };
}

export function parsePortRange(value: string | null): [number, number] | null {
  const m = value?.match(/^\s*(\d+)\s*-\s*(\d+)\s*$/);
  if (!m) return null;
  const lo = Number(m[1]);
  const hi = Number(m[2]);
  return lo <= hi ? [lo, hi] : null;
}
