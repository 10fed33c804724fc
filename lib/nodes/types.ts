import type { NodeModel } from "../lifecycle/types";
import type { EphemeralOverlap } from "./port-range-advice";
import type { ShieldConfig } from "../tap/race-shield";

/** A ZLM node Portscope watches. The secret stays on the server: see `NodeStatus` for what browsers get. */
export interface ConfiguredNode {
  id: string;
  label: string;
  url: string;
  secret: string;
  mode: "zlm" | "demo";
  mediaServerId: string | null;
  upstreamHooks: { url: string; budgetMs: number; fallback: Record<string, unknown> } | null;
  /** The node's own tap listener port (ZLM's paths through the tap), or null. */
  tapPort: number | null;
  raceShield: ShieldConfig | null;
}

/** What the browser sees of a node: never the secret. */
export interface NodeStatus {
  id: string;
  label: string;
  url: string;
  mode: "zlm" | "demo";
  /** "checking" until the first poll has answered or failed. */
  reachability: "online" | "offline" | "checking";
  /** Polls fail but on_server_keepalive still arrives: ZLM runs, its API is unreachable from here (wrong secret, firewall). */
  hooksOnly?: boolean;
  online: boolean;
  version: { branchName: string; buildTime: string; commitHash: string } | null;
  error: { kind: string; message: string } | null;
  /** When the poller last asked the node (epoch ms), and how long listRtpServer + getMediaList took. */
  checkedAt: number | null;
  latencyMs: number | null;
  /** What the lifecycle model knows of the node (timeoutSec, port range, restarts, last hook). */
  model?: NodeModel | null;
  liveSessions?: number;
  /** Even port pairs in rtp_proxy.port_range (what port=0 opens draw from), null while unknown. */
  poolCapacity?: number | null;
  /** rtp_proxy.port_range ports inside Linux's default ephemeral range (lib/nodes/port-range-advice), null when none or unknown. */
  ephemeralOverlap?: EphemeralOverlap | null;
  /** lastOkAt: the last poll that answered (an offline node's sessions are unknown since then). */
  poll?: { lastPollAt: number | null; lastOkAt?: number | null; lastPollMs: number | null; consecutiveFailures: number; aliveIntervalSec?: number | null } | null;
}
