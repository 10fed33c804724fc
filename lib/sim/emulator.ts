import http from "node:http";
import type dgram from "node:dgram";
import type { AddressInfo } from "node:net";
import type { ApiContext } from "./api/api-context";
import { ZLM_DEFAULT_CONFIG } from "./default-config";
import { HookClient, hookUrlFor, sleep, type HookBody, type HookReply } from "./hook-client";
import { DEFAULT_KNOBS, type EmulatorKnobs, type StreamKnobs } from "./knobs";
import { DEFAULT_VHOST, LOOKUP_ORDER, MediaRegistry } from "./media-registry";
import { PortPool } from "./port-pool";
import { createRng } from "./rng";
import type { RtpProcess, DetachReason } from "./rtp-process";
import type { RtpServer } from "./rtp-server";
import { closeUdp } from "./sockets";
import { createApiHandler } from "./http-api";
import { ZLM_BUILD } from "./api-list";
import { statisticCounters } from "./statistics";

export interface EmulatorOptions {
  /** Address for the HTTP API and every RTP socket; loopback by default. */
  host?: string;
  /** 0 = a random free port. */
  httpPort?: number;
  secret: string;
  mediaServerId: string;
  /** Base URL; every hook goes to BASE/<hook_name> with BASE's query kept. Null/empty = hooks off. */
  hookUrl?: string | null;
  timeoutSec?: number;
  portRange?: [number, number];
  aliveIntervalSec?: number;
  hookTimeoutSec?: number;
  hookRetry?: number;
  hookRetryDelaySec?: number;
  /** Simulated cameras driven by a simulated platform (0 = none). */
  cameras?: number;
  seed?: number;
  knobs?: Partial<EmulatorKnobs>;
  log?: (line: string) => void;
}

const HOOK_NAMES = [
  "on_flow_report", "on_play", "on_publish", "on_record_mp4", "on_record_ts", "on_rtp_server_timeout",
  "on_send_rtp_stopped", "on_server_exited", "on_server_keepalive", "on_server_started",
  "on_stream_changed", "on_stream_none_reader", "on_stream_not_found",
] as const;

/**
 * A ZLMediaKit stand-in that is indistinguishable at the HTTP and socket
 * level: the same /index/api answers byte for byte, real UDP/TCP receivers,
 * real hook POSTs, and the odd behaviours recorded from a real ZLM.
 */
export class Emulator implements ApiContext {
  readonly media = new MediaRegistry();
  readonly servers = new Map<string, RtpServer>();
  readonly pendingOpens = new Set<string>();
  readonly ghosts: { process: RtpProcess; sockets: dgram.Socket[] }[] = [];
  /** Legacy mode: receivers already dropped from RtpSelector while their registry entry lives on. */
  readonly legacyDropped = new Set<RtpProcess>();
  readonly hooks = new HookClient();
  readonly rng: ReturnType<typeof createRng>;
  knobs: EmulatorKnobs;
  pool: PortPool;
  configMap: Record<string, string>;
  startedAt = Date.now();
  httpPort = 0;
  readonly host: string;
  private readonly streamKnobMap = new Map<string, StreamKnobs>();
  private httpServer: http.Server | null = null;
  private keepaliveTimer: NodeJS.Timeout | null = null;
  private extraStops: (() => Promise<void> | void)[] = [];

  constructor(readonly options: EmulatorOptions) {
    this.host = options.host ?? "127.0.0.1";
    this.rng = createRng(options.seed ?? Date.now());
    this.knobs = { ...DEFAULT_KNOBS, ...options.knobs };
    this.configMap = this.buildConfig();
    this.pool = new PortPool(this.portRange(), this.rng);
  }

  get url(): string {
    return `http://${this.host.includes(":") ? `[${this.host}]` : this.host}:${this.httpPort}`;
  }

  get mediaServerId(): string {
    return this.config("general.mediaServerId");
  }

  private buildConfig(): Record<string, string> {
    const o = this.options;
    const cfg: Record<string, string> = { ...ZLM_DEFAULT_CONFIG };
    cfg["api.secret"] = o.secret;
    cfg["general.mediaServerId"] = o.mediaServerId;
    cfg["general.listen_ip"] = this.host;
    cfg["rtp_proxy.timeoutSec"] = String(o.timeoutSec ?? 15);
    const range = o.portRange ?? [30000, 35000];
    cfg["rtp_proxy.port_range"] = `${range[0]}-${range[1]}`;
    cfg["hook.alive_interval"] = (o.aliveIntervalSec ?? 10).toFixed(1);
    cfg["hook.timeoutSec"] = String(o.hookTimeoutSec ?? 10);
    cfg["hook.retry"] = String(o.hookRetry ?? 1);
    cfg["hook.retry_delay"] = (o.hookRetryDelaySec ?? 3).toFixed(1);
    cfg["hook.enable"] = o.hookUrl ? "1" : "0";
    for (const name of HOOK_NAMES) cfg[`hook.${name}`] = o.hookUrl ? hookUrlFor(o.hookUrl, name) : "";
    return cfg;
  }

  portRange(): [number, number] {
    const m = /^(\d+)-(\d+)$/.exec(this.config("rtp_proxy.port_range"));
    return m ? [Number(m[1]), Number(m[2])] : [30000, 35000];
  }

  build() {
    return this.knobs.teardownOrder === "legacy" ? ZLM_BUILD.legacy : ZLM_BUILD.current;
  }

  buildTime(): string {
    return new Date(this.startedAt).toISOString().slice(0, 19);
  }

  /** kServerName: the Server header of answers, the User-Agent of hooks and the 404 page's footer. */
  serverName(): string {
    const b = this.build();
    return `ZLMediaKit(git hash:${b.commitHash}/${b.commitTime},branch:${b.branchName},build time:${this.buildTime()})`;
  }

  notFoundPage(): string {
    return `<html><head><title>404 Not Found</title></head><body bgcolor="white"><center><h1>您访问的资源不存在！</h1></center><hr><center>${this.serverName()}</center></body></html>`;
  }

  // ---- SimContext ----
  streamKnobs(streamId: string): StreamKnobs {
    return this.streamKnobMap.get(streamId) ?? {};
  }
  config(key: string): string {
    return this.configMap[key] ?? "";
  }
  configNumber(key: string, fallback: number): number {
    const n = Number.parseFloat(this.config(key));
    return Number.isFinite(n) ? n : fallback;
  }
  sendHook(name: string, body: HookBody): Promise<HookReply | null> {
    return this.hooks.send(
      {
        enabled: this.config("hook.enable") === "1",
        url: this.config(`hook.${name}`),
        timeoutSec: this.configNumber("hook.timeoutSec", 10),
        retry: Math.max(0, Math.floor(this.configNumber("hook.retry", 1))),
        retryDelaySec: this.configNumber("hook.retry_delay", 3),
        mediaServerId: this.mediaServerId,
        userAgent: this.serverName(),
      },
      body,
    );
  }
  now(): number {
    return Date.now();
  }
  log(line: string): void {
    this.options.log?.(line);
  }

  // ---- knobs ----
  setKnobs(patch: Partial<EmulatorKnobs>): void {
    this.knobs = { ...this.knobs, ...patch };
  }
  setStreamKnobs(streamId: string, knobs: StreamKnobs | null): void {
    if (knobs) this.streamKnobMap.set(streamId, knobs);
    else this.streamKnobMap.delete(streamId);
  }

  // ---- registry operations used by the API ----
  /** Tears a server down the way ZLM's detach callback does, in the order of the configured build. */
  detach(server: RtpServer, reason: DetachReason): void {
    if (server.closed) return;
    if (this.knobs.teardownOrder === "legacy" && reason === "timeout" && server.process) {
      // RtpSelector era: the receiver (and with it the stream) goes first, the registry entry later.
      const proc = server.process;
      this.legacyDropped.add(proc);
      void proc.unregisterMedia();
      setTimeout(() => {
        this.legacyDropped.delete(proc);
        this.eraseAndClose(server, reason);
      }, this.knobs.legacyTeardownGapMs).unref?.();
      return;
    }
    this.eraseAndClose(server, reason);
    const unregister = () => server.processes.forEach((p) => void p.unregisterMedia());
    for (const p of server.processes) p.stop();
    if (this.knobs.teardownGapMs > 0) setTimeout(unregister, this.knobs.teardownGapMs).unref?.();
    else unregister();
  }

  private eraseAndClose(server: RtpServer, reason: DetachReason): void {
    if (this.servers.get(server.key) === server) this.servers.delete(server.key);
    const hookLost = this.streamKnobs(server.options.streamId).loseTimeoutHook === true;
    if (reason === "timeout" && server.process && !hookLost) void this.sendHook("on_rtp_server_timeout", server.process.timeoutHookBody());
    server.closeSockets(this.pool, this.knobs.releaseDelayMs);
  }

  /** The receiver behind a registered RTP MediaSource (what getRtpInfo and pauseRtpCheck look up). */
  findLiveProcess(vhost: string, app: string, streamId: string): RtpProcess | null {
    if (this.knobs.teardownOrder === "legacy") {
      // Before 2024-06-09 getRtpInfo asked the RtpSelector: a receiver exists from its first packet.
      const server = this.servers.get(`${vhost}/${app}/${streamId}`);
      const p = server?.process;
      return p && p.firstPacketAt !== null && !this.legacyDropped.has(p) ? p : null;
    }
    const mediaVhost = this.config("general.enableVhost") === "1" ? vhost : DEFAULT_VHOST;
    for (const schema of LOOKUP_ORDER) {
      const src = this.media.get(schema, mediaVhost, app, streamId);
      if (!src || src.origin.originType !== 3) continue;
      for (const server of this.servers.values()) {
        for (const p of server.processes) if (p.sources.includes(src)) return p;
      }
      for (const p of this.legacyDropped) if (p.sources.includes(src)) return p;
    }
    return null;
  }

  statistic(): Record<string, number> {
    return statisticCounters(this);
  }

  /** Registers something to stop with the emulator (the simulated platform). */
  onStop(fn: () => Promise<void> | void): void {
    this.extraStops.push(fn);
  }

  // ---- process lifecycle ----
  async listen(): Promise<void> {
    const server = http.createServer(createApiHandler(this));
    server.keepAliveTimeout = 30_000;
    this.httpServer = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.httpPort ?? 0, this.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.httpPort = (server.address() as AddressInfo).port;
    this.configMap["http.port"] = String(this.httpPort);
    this.configMap["http.notFound"] = this.notFoundPage();
    this.announceStart();
  }

  private announceStart(): void {
    void this.sendHook("on_server_started", { ...this.configMap });
    this.scheduleKeepalive();
  }

  scheduleKeepalive(): void {
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    const ms = Math.max(100, this.configNumber("hook.alive_interval", 10) * 1000);
    this.keepaliveTimer = setInterval(() => void this.sendHook("on_server_keepalive", { data: this.statistic() }), ms);
    this.keepaliveTimer.unref?.();
  }

  /** Drops every receiver and socket without hooks (what a process exit does). */
  private dropEverything(): void {
    for (const server of this.servers.values()) {
      for (const p of server.processes) p.stop();
      server.closeSockets(this.pool, 0);
    }
    for (const g of this.ghosts) {
      g.process.stop();
      g.sockets.forEach(closeUdp);
    }
    for (const p of this.legacyDropped) p.stop();
    this.servers.clear();
    this.ghosts.length = 0;
    this.legacyDropped.clear();
    this.pendingOpens.clear();
    this.media.clear();
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    this.keepaliveTimer = null;
  }

  /**
   * A ZLM restart: on_server_exited, every registry emptied, ghosts gone, the
   * API unreachable for `downMs`, then on_server_started with hook_index 0.
   */
  async restart(downMs = 200): Promise<void> {
    await this.sendHook("on_server_exited", {});
    this.dropEverything();
    this.hooks.reset();
    const server = this.httpServer;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
    await sleep(downMs);
    this.startedAt = Date.now();
    this.pool = new PortPool(this.portRange(), this.rng);
    const port = this.httpPort;
    this.options.httpPort = port;
    await this.listen();
  }

  async stop(): Promise<void> {
    for (const fn of this.extraStops) await fn();
    this.extraStops = [];
    await Promise.race([this.sendHook("on_server_exited", {}), sleep(500)]);
    this.dropEverything();
    this.hooks.stop();
    const server = this.httpServer;
    this.httpServer = null;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  }
}

/** Starts an emulator (and, with `cameras`, the simulated platform that drives it). */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const emu = new Emulator(options);
  await emu.listen();
  if (options.cameras && options.cameras > 0) {
    const { startSimulatedPlatform } = await import("./platform");
    const platform = startSimulatedPlatform({
      zlmUrl: emu.url,
      secret: options.secret,
      cameras: options.cameras,
      seed: options.seed,
      timeoutSec: options.timeoutSec ?? 15,
      rtpHost: emu.host,
      logger: options.log,
    });
    emu.onStop(() => platform.stop());
  }
  return emu;
}
