import "server-only";
import type { ZlmClient } from "../zlm/client";
import { ZlmError } from "../zlm/errors";
import { isStaleNodeRead, reconcile } from "./reconcile";
import type { EventPipeline } from "../events/event-pipeline";
import { DEFAULT_POLL_SCHEDULE, isSlowCycle, nextPollDelay, type PollSchedule } from "./poll-schedule";
import { nodeConfigFromServerConfig, type NodeConfigSummary } from "./node-config";
import { mediaRates, type MediaRate } from "./media-rates";
import type { MediaFlow } from "./media-flow";
import type { PortscopeEvent } from "../events/types";
import { stableJson } from "./hook-dedupe";

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
  /** A follower's own read of the rates (see mediaNow), shared by the browsers asking meanwhile. */
  private followerMedia: Promise<NodePoller["media"]> | null = null;
  private followerMediaAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private cycle = 0;
  private stopped = false;
  /** Between start() and stop(): this process polls the node (on a shared log, while it leads it). */
  private polling = false;
  /** Which start() the scheduled loop belongs to. */
  private run = 0;
  private readonly unlistedSince = new Map<string, number>();
  /** Each registered stream's last totalBytes and when it grew: media that stops without a hook. */
  private readonly mediaFlow = new Map<string, MediaFlow>();
  /** The last config read may predate a restart the hooks told of: read it again next cycle. */
  private configStale = false;
  /** When the last successful poll began (what it listed outlived any earlier outage). */
  private lastOkPollAt: number | null = null;
  /** Told the node's mediaServerId whenever config is read, so hooks can be attributed. */
  onMediaServerId: ((mediaServerId: string) => void) | null = null;
  /** Told each cycle's duration and its error (null when it succeeded): /metrics' poll latency and errors. */
  onCycle: ((cycle: { ms: number; error: { kind: string } | null }) => void) | null = null;

  constructor(
    private readonly client: ZlmClient,
    private readonly pipeline: EventPipeline,
    private readonly schedule: PollSchedule = DEFAULT_POLL_SCHEDULE,
    private readonly now: () => number = Date.now,
    private readonly log: (line: string) => void = (line) => console.warn(line),
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
    this.polling = true;
    this.run++;
    if (this.timer) clearTimeout(this.timer);
    this.schedule_(0);
  }

  /**
   * Start polling a node another instance polled until now (shared log): what it last told the log
   * about the node is this poller's starting point, so the hand-over adds no node.online of its own.
   */
  takeOver(): void {
    const known = this.pipeline.lifecycle.node(this.state.nodeId);
    if (known && this.state.online === null) this.state.online = known.online;
    this.start();
  }

  stop(): void {
    this.stopped = true;
    this.polling = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * On a shared log another instance may poll this node: what its polls concluded reaches this one
   * as events, so the node's card here says the same, and a later take-over starts from it (its
   * first poll then repeats neither node.online nor an unchanged node.config).
   */
  observe(ev: PortscopeEvent): void {
    if (this.polling || ev.nodeId !== this.state.nodeId || ev.source !== "poll") return;
    const p = ev.payload;
    if (ev.kind === "node.online") {
      Object.assign(this.state, { online: true, consecutiveFailures: 0, lastError: null, lastOkAt: ev.at });
      if (p.version && typeof p.version === "object") this.state.version = p.version as NodePollState["version"];
    } else if (ev.kind === "node.offline") {
      const error = p.error as NodePollState["lastError"] | undefined;
      Object.assign(this.state, { online: false, lastError: error ?? { kind: "transient", message: "the polling instance could not reach the node" } });
    } else if (ev.kind === "node.config") {
      this.state.config = p as unknown as NodeConfigSummary;
    } else if (this.state.online) {
      this.state.lastOkAt = Math.max(this.state.lastOkAt ?? 0, ev.at);
    }
  }

  /**
   * The node's receive rates as of at most one poll interval ago. The polling instance has them
   * from its cycle. On a shared log the others do not poll, so they read getMediaList themselves,
   * at most once per interval however many browsers ask (read-only: nothing is logged). Without
   * this, their pages said "no media" for a stream that was receiving.
   */
  mediaNow(): Promise<NodePoller["media"]> {
    if (this.polling) return Promise.resolve(this.media);
    if (!this.followerMedia || this.now() - this.followerMediaAt >= this.schedule.intervalMs) {
      const at = this.now();
      this.followerMediaAt = at;
      this.followerMedia = this.client.getMediaList().then(
        (list) => ({ polledAt: at, rates: mediaRates(list) }),
        () => null,
      );
    }
    return this.followerMedia;
  }

  /** Poll now (also used by actions that want a fresh confirmation). */
  async pollOnce(): Promise<void> {
    const started = this.now();
    const nodeId = this.state.nodeId;
    const slow = isSlowCycle(this.cycle++) || this.state.online !== true || this.configStale;
    try {
      // Config first, so the listing is never older than the mediaServerId it is reconciled with.
      const config = slow ? await this.readSlow(started) : null;
      const [rtpServers, media] = await Promise.all([
        this.client.listRtpServer(),
        this.client.getMediaList().catch(() => null),
      ]);
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
        if (wasOnline === false) this.log(`portscope: node ${nodeId} (${this.client.url}) is reachable again`);
        await this.pipeline.append([{ at: this.now(), nodeId, kind: "node.online", key: null, port: null, source: "poll", payload: { version: this.state.version ?? null } }]);
      }
      // Only an id read in this cycle is compared (a cached one may be from before a restart), and the
      // model learns it after the comparison; both are applied before anything else can interleave.
      await Promise.all([
        this.pipeline.appendFrom((model) => reconcile({
          nodeId,
          at: started,
          unlistedSince: this.unlistedSince,
          mediaFlow: this.mediaFlow,
          rtpServers,
          media,
          mediaServerId: config?.mediaServerId ?? null,
          previousPollAt: this.lastOkPollAt,
        }, model)),
        config ? this.noteConfig(config) : null,
      ]);
      this.lastOkPollAt = started;
    } catch (err) {
      await this.noteFailure(err);
    } finally {
      this.state.lastPollAt = started;
      this.state.lastPollMs = this.now() - started;
      this.onCycle?.({ ms: this.state.lastPollMs, error: this.state.consecutiveFailures > 0 ? this.state.lastError ?? { kind: "unknown" } : null });
    }
  }

  /** Version, statistics and config; the config is null when a (re)start was learned after the poll began. */
  private async readSlow(started: number): Promise<NodeConfigSummary | null> {
    const [version, serverConfig, statistic] = await Promise.all([
      this.client.version(),
      this.client.getServerConfig(),
      this.client.getStatistic().catch(() => null),
    ]);
    this.state.version = version;
    this.state.statistic = statistic as Record<string, unknown> | null;
    this.configStale = isStaleNodeRead(this.pipeline.lifecycle, this.state.nodeId, started);
    return this.configStale ? null : nodeConfigFromServerConfig(serverConfig);
  }

  private noteConfig(config: NodeConfigSummary): Promise<unknown> | null {
    if (config.mediaServerId) this.onMediaServerId?.(config.mediaServerId);
    // Key order aside: logs written before the payload became json (PostgreSQL jsonb) give an observed config back with its keys reordered.
    if (stableJson(config) === stableJson(this.state.config)) return null;
    this.state.config = config;
    return this.pipeline.append([{ at: this.now(), nodeId: this.state.nodeId, kind: "node.config", key: null, port: null, source: "poll", payload: { ...config } }]);
  }

  private async noteFailure(err: unknown): Promise<void> {
    const e = err instanceof ZlmError ? err : null;
    this.media = null;
    this.state.consecutiveFailures++;
    this.state.lastError = { kind: e?.kind ?? "transient", message: err instanceof Error ? err.message : String(err) };
    if (this.state.online !== false) {
      // Once per change of state, not per failed poll: an operator reading the console sees each outage once.
      this.log(`portscope: node ${this.state.nodeId} (${this.client.url}) is unreachable: ${this.state.lastError.message}`);
      this.state.online = false;
      await this.pipeline
        .append([{ at: this.now(), nodeId: this.state.nodeId, kind: "node.offline", key: null, port: null, source: "poll", payload: { error: this.state.lastError, code: e?.code ?? null } }])
        .catch(() => undefined);
    }
  }

  private schedule_(delay: number, run = this.run): void {
    if (this.stopped || run !== this.run) return;
    this.timer = setTimeout(async () => {
      await this.pollOnce();
      // Stopped and started again meanwhile (leadership lost and regained): the new start owns the loop.
      if (run !== this.run) return;
      const awaitingRelease = this.pipeline.lifecycle.liveSessions(this.state.nodeId).some((s) => s.state === "timed_out" || s.state === "closed");
      this.schedule_(nextPollDelay(this.schedule, this.state.consecutiveFailures, Math.random, awaitingRelease), run);
    }, delay);
    this.timer.unref?.();
  }
}

