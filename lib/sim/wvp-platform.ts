import { SimulatedCamera } from "./camera";
import { messageOf, PlatformRun, PlatformStopped } from "./platform-api";
import { createRng, type Rng } from "./rng";
import { SsrcPool } from "./ssrc-pool";
import type { PlayOptions, PlayResult, WvpPlatformOptions, WvpStats } from "./wvp-types";

export type { PlayOptions, PlayOutcome, PlayResult, WvpPlatformOptions, WvpStats } from "./wvp-types";

/**
 * A platform that calls ZLM the way wvp-GB28181-pro does (read from its
 * master, 768d740, 2026-08-06), so the race shield can be measured against
 * what such platforms really send:
 * - a play takes a new SSRC from the pool (SSRCFactory: "0" + domain + index,
 *   rebuilt every 5 s from getMediaList, see ssrc-pool.ts);
 * - the ZLM stream id is `deviceId_channelId` (wvp's play stream, as older
 *   releases opened it) or the SSRC as 8 hex digits (master's
 *   RtpServerServiceImpl.openCommonRTPServer, `%08x` upper-cased);
 * - ZLMServerFactory.createRTPServer: getRtpInfo, and if exist:true use its
 *   local_port, else openRtpServer (port 0, tcp_mode, ssrc when ssrcCheck);
 *   calls are form POSTs with the secret in the body (ZLMRESTfulUtils.sendPost);
 * - its own play timer (UserSetting.playTimeout, 10 s) closes the server when
 *   no media arrived, on its own clock, and the user plays again;
 * - a viewer double-clicks: a second play 0.3-2 s after the first, while the
 *   first server still waits (master dedups in-flight plays in its Redis invite
 *   cache; several instances or a lost cache open again, as issue 11 measured);
 * - cameras answer the INVITE 0.2-3 s late, about 1 in 10 never, and send
 *   real MPEG-PS over RTP/UDP from their own socket (camera.ts).
 * wvp learns of media from the on_media_arrival hook; this platform polls
 * getMediaList instead, so it needs nothing but ZLM's HTTP API.
 */
interface Channel {
  index: number;
  deviceId: string;
  channelId: string;
  rng: Rng;
  /** The camera's current INVITE session: a new one replaces it, as a one-stream camera does. */
  session: { playId: number; camera: SimulatedCamera } | null;
  /** The camera answers INVITEs in the order they came: never before the previous answer. */
  lastAnswerAt: number;
}

const withRetries = (r: PlayResult): PlayResult[] => (r.retried ? [r, ...withRetries(r.retried)] : [r]);

const MEDIA_POLL_MS = 200;
const REBUILD_MS = 5000;
const ALREADY_EXISTS = /already exists|已存在|Assertion failed: \(it\.second\)/;

export class WvpPlatform {
  private readonly run: PlatformRun;
  private readonly channels: Channel[];
  private readonly pool: SsrcPool;
  private readonly loops: Promise<void>[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly pendingInvites = new Set<NodeJS.Timeout>();
  private readonly stats_: WvpStats = { plays: 0, opened: 0, joinedLive: 0, openFailures: {}, alreadyExists: 0, playTimeouts: 0, withMedia: 0, firstMediaMs: [], actions: 0, actionsTimedOut: 0, actionsWithMedia: 0 };
  private readonly o: Required<Omit<WvpPlatformOptions, "logger">>;
  private readonly logger: (line: string) => void;
  private playIds = 0;
  private rebuildTimer: NodeJS.Timeout | null = null;

  constructor(opts: WvpPlatformOptions) {
    const rtpHost = opts.rtpHost ?? new URL(opts.zlmUrl).hostname.replace(/^\[|\]$/g, "");
    this.logger = opts.logger ?? (() => undefined);
    const { logger: _logger, ...rest } = opts;
    this.o = { streamIds: "channel", playTimeoutMs: 10_000, doubleClickRate: 0.15, silentRate: 0.1, answerDelayMs: [200, 3000], watchMs: [3000, 10_000], pauseMs: [500, 2000], timerRetry: "either", ssrcPoolSize: 10_000, autoplay: true, ...rest, rtpHost };
    this.run = new PlatformRun({ zlmUrl: opts.zlmUrl, secret: opts.secret, style: "form", timeoutMs: 10_000, log: (l) => this.log(l) });
    this.pool = new SsrcPool(createRng(opts.seed), this.o.ssrcPoolSize);
    this.channels = Array.from({ length: Math.max(0, opts.channels) }, (_, i) => ({
      index: i,
      deviceId: `3402000000132000${String(i + 1).padStart(4, "0")}`,
      channelId: `3402000000131000${String(i + 1).padStart(4, "0")}`,
      rng: createRng(opts.seed + (i + 1) * 1_000_003),
      session: null,
      lastAnswerAt: 0,
    }));
  }

  start(): void {
    this.rebuildTimer = setInterval(() => void this.rebuildPool(), REBUILD_MS);
    this.rebuildTimer.unref?.();
    if (this.o.autoplay) for (const ch of this.channels) this.loops.push(this.runChannel(ch));
  }

  async stop(): Promise<void> {
    this.run.stop();
    if (this.rebuildTimer) clearInterval(this.rebuildTimer);
    for (const t of this.pendingInvites) clearTimeout(t);
    this.pendingInvites.clear();
    for (const ch of this.channels) this.bye(ch, null);
    await Promise.allSettled([...this.loops, ...this.inFlight]);
  }

  stats(): WvpStats {
    return { ...this.stats_, openFailures: { ...this.stats_.openFailures }, firstMediaMs: [...this.stats_.firstMediaMs] };
  }

  /** The camera session now sending for a channel (tests read its SSRC and source port). */
  cameraOf(channel: number): SimulatedCamera | null {
    return this.channels[channel]?.session?.camera ?? null;
  }

  streamIdOf(channel: number, ssrc: number): string {
    const ch = this.channels[channel];
    return this.o.streamIds === "ssrc" ? ssrc.toString(16).toUpperCase().padStart(8, "0") : `${ch.deviceId}_${ch.channelId}`;
  }

  /** One play of a channel, to its outcome; `ssrc` overrides the pool (tests of pool reuse). */
  play(channel: number, opts: PlayOptions = {}): Promise<PlayResult> {
    const p = this.playOnce(this.channels[channel], opts);
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p)).catch(() => undefined);
    return p;
  }

  private async runChannel(ch: Channel): Promise<void> {
    try {
      await this.run.wait(ch.rng.int(0, 2000)); // stagger start-up
      for (;;) {
        // A camera that does not answer is offline for both clicks of a double click; its lateness varies per INVITE.
        const silent = ch.rng.chance(this.o.silentRate);
        const plays = [this.play(ch.index, { silent })];
        if (ch.rng.chance(this.o.doubleClickRate)) {
          await this.run.wait(ch.rng.int(300, 2000));
          plays.push(this.play(ch.index, { silent }));
        }
        const results = (await Promise.all(plays)).flatMap(withRetries);
        if (results.some((r) => r.outcome === "stopped")) continue; // cut short by stop(): not counted
        this.stats_.actions++;
        if (results.some((r) => r.outcome === "media")) this.stats_.actionsWithMedia++;
        else if (results.some((r) => r.outcome === "timeout")) this.stats_.actionsTimedOut++;
        await this.run.wait(ch.rng.int(...this.o.pauseMs));
      }
    } catch (err) {
      if (!(err instanceof PlatformStopped)) this.log(`${ch.deviceId} channel loop ended: ${messageOf(err)}`);
    }
  }

  private async playOnce(ch: Channel, opts: PlayOptions): Promise<PlayResult> {
    const playId = ++this.playIds;
    const clickedAt = Date.now();
    const ssrc = opts.ssrc ?? this.pool.take() ?? 0;
    const streamId = this.streamIdOf(ch.index, ssrc);
    const result: PlayResult = { channel: ch.index, streamId, ssrc, port: null, outcome: "stopped", joinedLive: false, failure: null, firstMediaMs: null, retried: null };
    try {
      this.stats_.plays++;
      const info = await this.run.api("getRtpInfo", { stream_id: streamId });
      if (info?.code === 0 && info.exist === true && info.local_port) {
        result.joinedLive = true;
        result.port = info.local_port;
        this.stats_.joinedLive++;
      } else {
        const { answer, error } = await this.run.call("openRtpServer", { tcp_mode: 0, app: "rtp", stream_id: streamId, port: 0, ssrc });
        if (!answer || answer.code !== 0 || typeof answer.port !== "number") {
          result.outcome = "open-failed";
          result.failure = answer ? `${answer.code} ${answer.msg ?? ""}`.trim() : `network ${error ?? "not a ZLM answer"}`;
          this.stats_.openFailures[result.failure] = (this.stats_.openFailures[result.failure] ?? 0) + 1;
          if (ALREADY_EXISTS.test(result.failure)) this.stats_.alreadyExists++;
          this.log(`${streamId} play ${playId} (SSRC ${ssrc}) open failed: ${result.failure}`);
          return result;
        }
        result.port = answer.port;
        this.stats_.opened++;
        const silent = opts.silent ?? ch.rng.chance(this.o.silentRate);
        this.invite(ch, playId, ssrc, answer.port, opts.answerInMs !== undefined ? opts.answerInMs : silent ? null : ch.rng.int(...this.o.answerDelayMs));
      }
      if (await this.mediaArrives(streamId, clickedAt + this.o.playTimeoutMs)) {
        result.outcome = "media";
        result.firstMediaMs = Date.now() - clickedAt;
        this.stats_.withMedia++;
        this.stats_.firstMediaMs.push(result.firstMediaMs);
        if (opts.answerInMs !== undefined) return result; // a test's play: the test ends it
        await this.run.wait(ch.rng.int(...this.o.watchMs));
        this.bye(ch, playId);
        await this.run.api("closeRtpServer", { app: "rtp", stream_id: streamId });
        return result;
      }
      // The play timer: close the server on the platform's clock, BYE, and the user plays again.
      result.outcome = "timeout";
      this.stats_.playTimeouts++;
      this.log(`${streamId} play ${playId} (SSRC ${ssrc}, port ${result.port}) timed out after ${this.o.playTimeoutMs} ms`);
      this.bye(ch, playId);
      const close = this.run.api("closeRtpServer", { app: "rtp", stream_id: streamId });
      const again = opts.afterTimeout ?? (this.o.timerRetry === "either" ? (ch.rng.chance(0.5) ? "sequence" : "parallel") : this.o.timerRetry);
      if (again === "sequence") await close;
      const retry = again === "none" ? null : this.play(ch.index, { afterTimeout: "none", ...opts.retry });
      await close;
      result.retried = retry ? await retry : null;
      return result;
    } catch (err) {
      if (!(err instanceof PlatformStopped)) this.log(`${ch.deviceId} play failed: ${messageOf(err)}`);
      return result;
    }
  }

  /** The camera answers the INVITE after `inMs` (null: never) and sends to the port with the play's SSRC. */
  private invite(ch: Channel, playId: number, ssrc: number, port: number, inMs: number | null): void {
    if (inMs === null) return void this.log(`play ${playId}: the camera never answers the INVITE for port ${port}`);
    const answerAt = Math.max(Date.now() + inMs, ch.lastAnswerAt + 1);
    ch.lastAnswerAt = answerAt;
    this.log(`play ${playId}: the camera answers the INVITE for port ${port}, SSRC ${ssrc} in ${answerAt - Date.now()} ms`);
    const t = setTimeout(() => {
      this.pendingInvites.delete(t);
      if (this.run.isStopped) return;
      ch.session?.camera.stop();
      const camera = new SimulatedCamera({ id: ch.channelId, ssrc, host: this.o.rtpHost });
      ch.session = { playId, camera };
      camera.start(port);
    }, answerAt - Date.now());
    this.pendingInvites.add(t);
  }

  /** BYE for one play's session (null: whatever the camera sends). */
  private bye(ch: Channel, playId: number | null): void {
    if (!ch.session || (playId !== null && ch.session.playId !== playId)) return;
    ch.session.camera.stop();
    ch.session = null;
  }

  private async mediaArrives(streamId: string, deadline: number): Promise<boolean> {
    while (Date.now() < deadline) {
      const list = await this.run.api("getMediaList", { app: "rtp", stream: streamId });
      if (list?.code === 0 && (list.data?.length ?? 0) > 0) return true;
      await this.run.wait(Math.min(MEDIA_POLL_MS, Math.max(0, deadline - Date.now())));
    }
    return false;
  }

  /** SSRCFactory.rebuild: SSRCs parsed from the live rtp streams' names; channel-named streams do not parse, as in wvp. */
  private async rebuildPool(): Promise<void> {
    try {
      const list = await this.run.api("getMediaList", { schema: "rtsp" });
      if (list?.code !== 0) return;
      const live = (list.data ?? []).filter((r) => r.originType === 3 && typeof r.stream === "string" && /^[0-9A-Fa-f]{1,8}$/.test(r.stream as string)).map((r) => parseInt(r.stream as string, 16));
      this.pool.rebuild(live);
    } catch (err) {
      if (!(err instanceof PlatformStopped)) this.log(`SSRC rebuild failed: ${messageOf(err)}`);
    }
  }

  private log(line: string): void {
    this.logger(`wvp: ${line}`);
  }
}

export function startWvpPlatform(opts: WvpPlatformOptions): WvpPlatform {
  const p = new WvpPlatform(opts);
  p.start();
  return p;
}
