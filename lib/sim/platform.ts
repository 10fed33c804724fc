import net from "node:net";
import { SimulatedCamera, type CameraStartOptions } from "./camera";
import { messageOf, PlatformRun, PlatformStopped, portOf, type ZlmAnswer } from "./platform-api";
import { createRng, type Rng } from "./rng";

/**
 * The demo's simulated platform: it plays N GB28181 cameras through a ZLM,
 * using only ZLM's HTTP API, so it can drive the emulator and a real ZLM
 * alike. Most plays are ordinary; a few repeat each client mistake behind
 * "This stream already exists" (zlm-reference §5.6), so the demo shows every
 * failure mode. `wvp-platform.ts` is the one that calls ZLM the way
 * wvp-GB28181-pro does, for the race-shield bench.
 */

export interface PlatformOptions {
  zlmUrl: string;
  secret: string;
  cameras: number;
  seed?: number;
  /** The ZLM's rtp_proxy.timeoutSec; every delay below is scaled to it. Default 15. */
  timeoutSec?: number;
  logger?: (line: string) => void;
  /** Where cameras send RTP; default the host of zlmUrl. */
  rtpHost?: string;
  /**
   * "flood" (default): every play picks a failure pattern at its weight below.
   * "story": every play is ordinary unless `stage()` asked for a fault, so a
   * demo shows healthy cameras and a few explained incidents.
   */
  mode?: "flood" | "story";
  /** Faults outside ZLM's API (the network losing a hook); the in-process emulator provides them. */
  faults?: PlatformFaults;
}

export interface PlatformFaults {
  loseTimeoutHook(streamId: string, lost: boolean): void;
}

/** A fault staged on purpose; the next channel to start a play takes it. */
export type StagedScenario = "fast-retry" | "concurrent-open" | "restart-parallel" | "wrong-app-close" | "no-answer-loop" | "lost-hook" | "ghost-tcp";

export interface StagedPlay {
  scenario: StagedScenario;
  /** Called as the play starts: the channel, and how long from now its effects may first show. */
  onStart(start: { streamId: string; windowMs: number }): void;
}

export interface PlatformStats {
  plays: number;
  opens: number;
  /** openRtpServer failures by "code msg" ("network ..." when ZLM did not answer). */
  openFailures: Record<string, number>;
  closes: number;
  camerasSending: number;
}

export interface SimulatedPlatform {
  stop(): Promise<void>;
  stats(): PlatformStats;
  /** Queues a staged fault (story mode's director calls it; flood mode takes it too). */
  stage(play: StagedPlay): void;
}

/** What one play does, with its weight in percent; everything but "normal" is a failure pattern. */
const SCENARIO_WEIGHTS = {
  normal: 62, // answer quickly, stream, then drop out or BYE
  "no-answer": 7, // the camera never answers the INVITE; ZLM times the server out
  late: 7, // the camera answers well after the open, still inside ZLM's timeout
  "fast-retry": 6, // the platform's play timeout is shorter than ZLM's: the re-open hits -300
  "concurrent-open": 4, // two users open the channel at the same moment
  "restart-parallel": 4, // a mid-stream restart sends closeRtpServer and openRtpServer in parallel
  "wrong-app-close": 4, // the BYE closes app=live: hit 0, the entry stays until the timeout
  "garbage-payload": 3, // H.264 without PS on PT 96: ZLM cannot demux it and times out
  "wrong-ssrc": 3, // the camera uses another SSRC than the INVITE's: all dropped
} as const;
type PlayScenario = keyof typeof SCENARIO_WEIGHTS | StagedScenario;
const SCENARIOS = Object.entries(SCENARIO_WEIGHTS) as [keyof typeof SCENARIO_WEIGHTS, number][];
/** A staged no-answer plays this many times in a row: the repeated-timeouts threshold. */
const NO_ANSWER_LOOP = 3;

const FETCH_TIMEOUT_MS = 3000;
/** The story's platform is a healthy one: it waits longer for a slow (loaded) ZLM before it gives up on a call. */
const STORY_FETCH_TIMEOUT_MS = 10_000;
/** ZLM checks for media every 3 s, so a server goes timeoutSec..timeoutSec+3 s after its last frame. */
const ALIVE_TICK_MS = 3000;
/**
 * How long after ZLM drops a server Portscope's poller has surely reported it gone: two polls at the
 * default 2 s, its 1.5 s wait for a late timeout hook, and a second for a busy machine. A platform
 * that reopens the key sooner replaces the server before any poll misses it, and the lost hook goes
 * unseen (the reopen itself cannot tell a lost hook from one still in flight).
 */
const POLL_SEES_VANISH_MS = 2 * 2000 + 1500 + 1000;

interface Channel {
  id: string;
  ssrc: number;
  camera: SimulatedCamera;
  rng: Rng;
  plays: number;
}

export function startSimulatedPlatform(opts: PlatformOptions): SimulatedPlatform {
  const platform = new Platform(opts);
  platform.start();
  return { stop: () => platform.stop(), stats: () => platform.stats(), stage: (play) => platform.stage(play) };
}

class Platform {
  private readonly run: PlatformRun;
  private readonly loops: Promise<void>[] = [];
  private readonly channels: Channel[];
  private readonly counts = { plays: 0, opens: 0, closes: 0, openFailures: {} as Record<string, number> };
  private readonly timeoutMs: number;
  private readonly scale: number;
  private readonly staged: StagedPlay[] = [];

  constructor(private readonly opts: PlatformOptions) {
    const timeoutSec = opts.timeoutSec ?? 15;
    this.timeoutMs = timeoutSec * 1000;
    this.run = new PlatformRun({ zlmUrl: opts.zlmUrl, secret: opts.secret, style: "query", timeoutMs: opts.mode === "story" ? STORY_FETCH_TIMEOUT_MS : FETCH_TIMEOUT_MS, log: (l) => this.log(l) });
    this.scale = timeoutSec / 15;
    const seed = opts.seed ?? Date.now();
    const host = opts.rtpHost ?? new URL(opts.zlmUrl).hostname.replace(/^\[|\]$/g, "");
    this.channels = Array.from({ length: Math.max(0, opts.cameras) }, (_, i) => {
      const n = i + 1;
      const id = `34020000001320${String(n).padStart(6, "0")}`;
      // GB28181 SSRC: 0 = live, 20000 from the domain id, then a per-channel number.
      const ssrc = 200000000 + n;
      return { id, ssrc, camera: new SimulatedCamera({ id, ssrc, host }), rng: createRng(seed + n * 1_000_003), plays: 0 };
    });
  }

  start(): void {
    this.channels.forEach((ch, i) => this.loops.push(this.runChannel(ch, i)));
  }

  async stop(): Promise<void> {
    this.run.stop();
    for (const ch of this.channels) ch.camera.stop();
    await Promise.allSettled(this.loops);
  }

  stage(play: StagedPlay): void {
    this.staged.push(play);
  }

  stats(): PlatformStats {
    return {
      plays: this.counts.plays,
      opens: this.counts.opens,
      openFailures: { ...this.counts.openFailures },
      closes: this.counts.closes,
      camerasSending: this.channels.filter((ch) => ch.camera.isSending).length,
    };
  }

  /** One camera's life: plays separated by pauses, until stop(). Never rejects. */
  private async runChannel(ch: Channel, index: number): Promise<void> {
    try {
      await this.wait(ch.rng.int(0, Math.min(5000, 100 + index * 50))); // stagger start-up
      for (;;) {
        try {
          await this.play(ch);
        } catch (err) {
          if (err instanceof PlatformStopped) throw err;
          this.log(`${ch.id} play failed: ${messageOf(err)}`);
        }
        ch.camera.stop();
        await this.wait(ch.rng.int(2000, 10_000) * this.scale);
      }
    } catch (err) {
      if (!(err instanceof PlatformStopped)) this.log(`${ch.id} channel loop ended: ${messageOf(err)}`);
    } finally {
      ch.camera.stop();
    }
  }

  private async play(ch: Channel): Promise<void> {
    // The first play of every camera is ordinary, so a fresh run shows live streams at once.
    const staged = ch.plays === 0 ? undefined : this.staged.shift();
    const scenario: PlayScenario = staged?.scenario ?? (ch.plays === 0 || this.opts.mode === "story" ? "normal" : pickWeighted(ch.rng, SCENARIOS));
    ch.plays++;
    if (scenario !== "normal") this.log(`${ch.id} play (${scenario}${staged ? ", staged" : ""})`);
    staged?.onStart({ streamId: ch.id, windowMs: this.stagedWindowMs(scenario) });
    if (scenario === "no-answer-loop") return this.noAnswerLoop(ch);
    if (scenario === "ghost-tcp") return this.ghostOpen(ch);
    const port = await this.request(ch, scenario === "concurrent-open" ? 2 : 1);
    if (port === null) return;
    switch (scenario) {
      case "no-answer":
        await this.wait(this.serverGoneMs());
        return;
      case "garbage-payload":
      case "wrong-ssrc": {
        await this.wait(ch.rng.int(100, 800));
        const misbehaviour: CameraStartOptions =
          scenario === "wrong-ssrc" ? { ssrcOverride: ch.ssrc + 1 } : { payloadMode: "garbage" };
        this.startCamera(ch, port, misbehaviour);
        await this.wait(this.serverGoneMs()); // packets flow, yet ZLM times the server out
        return;
      }
      case "fast-retry": {
        await this.wait(ch.rng.int(300, 700) * (this.timeoutMs / 1000));
        const retried = await this.retryWhileWaiting(ch);
        if (retried !== null) await this.stream(ch, retried, scenario);
        return;
      }
      case "late":
        await this.wait(ch.rng.int(300, 800) * (this.timeoutMs / 1000));
        break;
      default:
        await this.wait(ch.rng.int(100, 800));
    }
    await this.stream(ch, port, scenario);
  }

  /** How long after a staged play starts its incident may first be raised (the staging's window). */
  private stagedWindowMs(scenario: PlayScenario): number {
    const slack = 15_000; // a poll or two, and a busy machine
    switch (scenario) {
      case "no-answer-loop":
        return NO_ANSWER_LOOP * (this.serverGoneMs() + 3000 * this.scale) + slack;
      case "fast-retry":
        return this.timeoutMs + slack;
      case "restart-parallel":
        return 60_000 * this.scale + slack;
      case "wrong-app-close":
      case "lost-hook":
        return 120_000 * this.scale + this.serverGoneMs() + slack;
      case "ghost-tcp":
        return this.serverGoneMs() + slack;
      default:
        return slack;
    }
  }

  /** A camera that never answers, played again and again: each open times out without media. */
  private async noAnswerLoop(ch: Channel): Promise<void> {
    for (let i = 0; i < NO_ANSWER_LOOP; i++) {
      if (i > 0) await this.wait(ch.rng.int(1000, 3000) * this.scale);
      if ((await this.request(ch, 1)) === null) return;
      await this.wait(this.serverGoneMs());
    }
  }

  /**
   * A tcp_mode=1 open on a fixed port whose TCP side another process holds:
   * ZLM fails the open but its UDP receiver lives on outside the registry
   * (a ghost, zlm-reference §5.8) and posts timeouts for the key. Only works
   * where the platform runs on ZLM's host (the demo).
   */
  private async ghostOpen(ch: Channel): Promise<void> {
    this.counts.plays++;
    const blocker = net.createServer();
    const host = this.opts.rtpHost ?? new URL(this.opts.zlmUrl).hostname.replace(/^\[|\]$/g, "");
    await new Promise<void>((resolve, reject) => blocker.once("error", reject).listen(0, host, () => resolve()));
    try {
      const port = (blocker.address() as net.AddressInfo).port;
      this.counts.opens++;
      const answer = await this.api("openRtpServer", { port, tcp_mode: 1, stream_id: ch.id, ssrc: ch.ssrc });
      if (answer && answer.code !== 0) this.countOpenFailure(`${answer.code} ${answer.msg ?? ""}`.trim());
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
    await this.wait(this.serverGoneMs());
  }

  /** wvp's play: getRtpInfo, and only if it says exist:false, openRtpServer (`opens` at once). */
  private async request(ch: Channel, opens: number): Promise<number | null> {
    this.counts.plays++;
    const info = await this.api("getRtpInfo", { stream_id: ch.id });
    if (info?.exist === true) {
      this.log(`${ch.id} getRtpInfo says exist:true, nothing to open`);
      return null;
    }
    const answers = await Promise.all(Array.from({ length: opens }, () => this.open(ch)));
    const port = answers.map(portOf).find((p) => p !== null) ?? null;
    // An open whose answer never came may still have opened a server that would wait out its timeout:
    // the story's healthy platform closes the key before it plays again (the flood's keeps that mistake).
    if (port === null && this.opts.mode === "story" && answers.every((a) => a === null)) await this.close(ch);
    return port;
  }

  /** The user plays again while ZLM still holds the silent server: -300, then close+reopen or blind backoff. */
  private async retryWhileWaiting(ch: Channel): Promise<number | null> {
    let port = await this.request(ch, 1);
    if (port !== null) return port;
    if (ch.rng.chance(0.5)) {
      await this.close(ch);
      return portOf(await this.open(ch));
    }
    let backoffMs = Math.max(500, this.timeoutMs / 5);
    for (let attempt = 0; attempt < 5 && port === null; attempt++) {
      await this.wait(backoffMs);
      backoffMs *= 2;
      port = portOf(await this.open(ch));
    }
    return port;
  }

  /** The camera sends for a while, then the play ends: drop-out (ZLM times out) or a BYE. */
  private async stream(ch: Channel, port: number, scenario: PlayScenario): Promise<void> {
    this.startCamera(ch, port);
    const durationMs = ch.rng.int(20, 120) * 1000 * this.scale;
    if (scenario === "lost-hook") return this.dropOutWithLostHook(ch, port, durationMs);
    if (scenario === "restart-parallel") {
      await this.wait(durationMs / 2);
      ch.camera.stop();
      this.counts.plays++;
      const [, reopened] = await Promise.all([this.close(ch), this.open(ch)]);
      let again = portOf(reopened);
      if (again === null) {
        await this.wait(200); // the open lost the race to the close; the key is free now
        again = portOf(await this.open(ch));
      }
      if (again === null) return;
      this.startCamera(ch, again);
    }
    await this.wait(scenario === "restart-parallel" ? durationMs / 2 : durationMs);
    ch.camera.stop();
    if (scenario === "wrong-app-close") {
      await this.close(ch, "live");
      await this.wait(this.serverGoneMs());
    } else if (ch.rng.chance(0.3)) {
      await this.close(ch);
    } else {
      this.log(`${ch.id} camera dropped out; ZLM's timeout will reclaim port ${port}`);
      await this.wait(this.serverGoneMs());
    }
  }

  /** An ordinary drop-out whose on_rtp_server_timeout never arrives: the server only vanishes from listRtpServer. */
  private async dropOutWithLostHook(ch: Channel, port: number, durationMs: number): Promise<void> {
    const faults = this.opts.faults;
    faults?.loseTimeoutHook(ch.id, true);
    try {
      await this.wait(durationMs);
      ch.camera.stop();
      this.log(`${ch.id} camera dropped out; ZLM's timeout hook for port ${port} will be lost`);
      await this.wait(this.serverGoneMs() + POLL_SEES_VANISH_MS);
    } finally {
      faults?.loseTimeoutHook(ch.id, false);
    }
  }

  private startCamera(ch: Channel, port: number, misbehaviour: CameraStartOptions = {}): void {
    this.checkRunning();
    ch.camera.start(port, misbehaviour);
  }

  private async open(ch: Channel): Promise<ZlmAnswer | null> {
    this.counts.opens++;
    const answer = await this.api("openRtpServer", { port: 0, tcp_mode: 0, stream_id: ch.id, ssrc: ch.ssrc });
    if (answer && answer.code !== 0) this.countOpenFailure(`${answer.code} ${answer.msg ?? ""}`.trim());
    return answer;
  }

  private async close(ch: Channel, app = "rtp"): Promise<ZlmAnswer | null> {
    this.counts.closes++;
    const answer = await this.api("closeRtpServer", { stream_id: ch.id, app });
    if (answer?.code === 0 && answer.hit === 0) this.log(`${ch.id} closeRtpServer app=${app} -> hit 0`);
    return answer;
  }

  /** One API call; answers with code != 0 are logged and returned, transport failures give null. */
  private async api(name: string, params: Record<string, string | number>): Promise<ZlmAnswer | null> {
    const { answer, error } = await this.run.call(name, params);
    if (error !== null && name === "openRtpServer") this.countOpenFailure(`network ${error}`);
    return answer;
  }

  private countOpenFailure(key: string): void {
    this.counts.openFailures[key] = (this.counts.openFailures[key] ?? 0) + 1;
  }

  /** How long after the last frame a silent server is surely gone from ZLM. */
  private serverGoneMs(): number {
    return this.timeoutMs + ALIVE_TICK_MS + 500;
  }

  private wait(ms: number): Promise<void> {
    return this.run.wait(ms);
  }

  private checkRunning(): void {
    this.run.checkRunning();
  }

  private log(line: string): void {
    this.opts.logger?.(`platform: ${line}`);
  }
}

function pickWeighted<T>(rng: Rng, weighted: readonly (readonly [T, number])[]): T {
  const total = weighted.reduce((sum, [, w]) => sum + w, 0);
  let roll = rng.next() * total;
  for (const [value, weight] of weighted) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return weighted[weighted.length - 1][0];
}
