import type dgram from "node:dgram";
import type { IncomingMessage } from "node:http";
import type { ApiArgs } from "../api-args";
import type { SimContext } from "../context";
import type { PortPool } from "../port-pool";
import type { Rng } from "../rng";
import type { DetachReason, RtpProcess } from "../rtp-process";
import type { RtpServer } from "../rtp-server";
import type { ApiAnswer } from "./answer";

/**
 * What ZLM's HTTP API reaches inside the emulator: the registries, the
 * configuration, the build's names and a few operations. The endpoints and
 * the HTTP front take this, not the `Emulator` class, so lib/sim has no
 * import circle (emulator -> http-api -> endpoints -> emulator).
 */
export interface ApiContext extends SimContext {
  readonly servers: Map<string, RtpServer>;
  readonly pendingOpens: Set<string>;
  readonly ghosts: { process: RtpProcess; sockets: dgram.Socket[] }[];
  readonly rng: Rng;
  readonly pool: PortPool;
  readonly configMap: Record<string, string>;
  build(): { branchName: string; commitHash: string; commitTime: string };
  buildTime(): string;
  /** kServerName: the Server header of answers and the 404 page's footer. */
  serverName(): string;
  notFoundPage(): string;
  detach(server: RtpServer, reason: DetachReason): void;
  findLiveProcess(vhost: string, app: string, streamId: string): RtpProcess | null;
  statistic(): Record<string, number>;
  scheduleKeepalive(): void;
  restart(): Promise<void>;
}

export type Endpoint = (ctx: ApiContext, args: ApiArgs, req: IncomingMessage) => Promise<ApiAnswer> | ApiAnswer;
