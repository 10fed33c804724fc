import "server-only";
import type { ZlmClient } from "../zlm/client";
import { ZlmError } from "../zlm/errors";
import type { Pipeline } from "./pipeline.server";
import { DEFAULT_POLL_SCHEDULE, isSlowCycle, nextPollDelay, type PollSchedule } from "./poll-schedule";
import { nodeConfigFromServerConfig, type NodeConfigSummary } from "./node-config";
import { mediaRates, type MediaRate } from "./media-rates";

/** What the poller last saw of a node; served to the UI as-is (no secrets in here). */
export interface NodePollState {
  nodeId: string;
  online: boolean | null;
  lastPollAt: number | null;
  lastOkAt: number | null;
  lastPollMs: number | null;
  consecutiveFailures: number;
  lastError: { kind: string; message: string } | null;
  version: { branchName?: string; buildTime?: string; commitHash?: string } | null;
  config: NodeConfigSummary | null;
  statistic: Record<string, unknown> | null;
  rtpServers: number;
  mediaStreams: number;
}

/**
 * Polls one node: listRtpServer + getMediaList every cycle (what hooks can
 * miss), version/config/statistics every slow cycle. Each snapshot is
 * reconciled against the model; only differences become events.
 */
export class NodePoller {
  readonly state: NodePollState;
  /** Receive rates from the last getMediaList (memory only, never logged); null when that call failed. */
  media: { polledAt: number; rates: MediaRate[] } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private cycle = 0;
  private stopped = false;
  private readonly unlistedSince = new Map<string, number>();
  /** Told the node's mediaServerId whenever config is read, so hooks can be attributed. */
  onMediaServerId: ((mediaServerId: string) => void) | null = null;

  constructor(
    private readonly client: ZlmClient,
    private readonly pipeline: Pipeline,
    private readonly schedule: PollSchedule = DEFAULT_POLL_SCHEDULE,
    private readonly now: () => number = Date.now,
  ) {
    this.state = {
      nodeId: client.nodeId,
      online: null,
      lastPollAt: null,
      lastOkAt: null,
      lastPollMs: null,
      consecutiveFailures: 0,
      lastError: null,
      version: null,
      config: null,
      statistic: null,
      rtpServers: 0,
      mediaStreams: 0,
    };
  }

  start(): void {
    this.stopped = false;
    this.schedule_(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Poll now (also used by actions that want a fresh confirmation). */
  async pollOnce(): Promise<void> {
    const started = this.now();
    const nodeId = this.state.nodeId;
    const slow = isSlowCycle(this.cycle++) || this.state.online !== true;
    try {
      const [rtpServers, media] = await Promise.all([
        this.client.listRtpServer(),
        this.client.getMediaList().catch(() => null),
      ]);
      if (slow) await this.readSlow();
      const wasOnline = this.state.online;
      this.state.online = true;
      this.state.consecutiveFailures = 0;
      this.state.lastError = null;
      this.state.lastOkAt = this.now();
      this.state.rtpServers = rtpServers.length;
      const rates = media ? mediaRates(media) : null;
      this.media = rates ? { polledAt: started, rates } : null;
      this.state.mediaStreams = rates ? rates.length : this.state.mediaStreams;
      if (wasOnline !== true) {
        await this.pipeline.append([{ at: this.now(), nodeId, kind: "node.online", key: null, port: null, source: "poll", payload: { version: this.state.version ?? null } }]);
      }
      await this.pipeline.ingestPoll({
        nodeId,
        at: started,
        unlistedSince: this.unlistedSince,
        rtpServers,
        media,
        mediaServerId: this.state.config?.mediaServerId ?? null,
      });
    } catch (err) {
      await this.noteFailure(err);
    } finally {
      this.state.lastPollAt = started;
      this.state.lastPollMs = this.now() - started;
    }
  }

  private async readSlow(): Promise<void> {
    const nodeId = this.state.nodeId;
    const [version, serverConfig, statistic] = await Promise.all([
      this.client.version(),
      this.client.getServerConfig(),
      this.client.getStatistic().catch(() => null),
    ]);
    this.state.version = version;
    this.state.statistic = statistic as Record<string, unknown> | null;
    const config = nodeConfigFromServerConfig(serverConfig);
    if (config.mediaServerId) this.onMediaServerId?.(config.mediaServerId);
    if (JSON.stringify(config) !== JSON.stringify(this.state.config)) {
      this.state.config = config;
      await this.pipeline.append([{ at: this.now(), nodeId, kind: "node.config", key: null, port: null, source: "poll", payload: { ...config } }]);
    }
  }

  private async noteFailure(err: unknown): Promise<void> {
    const e = err instanceof ZlmError ? err : null;
    this.media = null;
    this.state.consecutiveFailures++;
    this.state.lastError = { kind: e?.kind ?? "transient", message: err instanceof Error ? err.message : String(err) };
    if (this.state.online !== false) {
      this.state.online = false;
      await this.pipeline
        .append([{ at: this.now(), nodeId: this.state.nodeId, kind: "node.offline", key: null, port: null, source: "poll", payload: { error: this.state.lastError, code: e?.code ?? null } }])
        .catch(() => undefined);
    }
  }

  private schedule_(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(async () => {
      await this.pollOnce();
      const awaitingRelease = this.pipeline.lifecycle.liveSessions(this.state.nodeId).some((s) => s.state === "timed_out" || s.state === "closed");
      this.schedule_(nextPollDelay(this.schedule, this.state.consecutiveFailures, Math.random, awaitingRelease));
    }, delay);
    this.timer.unref?.();
  }
}
