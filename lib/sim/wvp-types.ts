/** What the wvp-like platform (wvp-platform.ts) is told, and what it reports per play and in all. */
export interface WvpPlatformOptions {
  zlmUrl: string;
  secret: string;
  channels: number;
  seed: number;
  streamIds?: "channel" | "ssrc";
  /** UserSetting.playTimeout. */
  playTimeoutMs?: number;
  doubleClickRate?: number;
  silentRate?: number;
  /** When the camera answers the INVITE, after the open, in ms. */
  answerDelayMs?: [number, number];
  /** How long a successful play is watched before the viewer leaves (BYE + closeRtpServer). */
  watchMs?: [number, number];
  pauseMs?: [number, number];
  /** After a play timeout the user plays again: after the timer's close was answered, or at once beside it. */
  timerRetry?: "sequence" | "parallel" | "either";
  ssrcPoolSize?: number;
  /** Where cameras send RTP; default the host of zlmUrl. */
  rtpHost?: string;
  /** false: no channel loops; plays only by play() (tests). */
  autoplay?: boolean;
  logger?: (line: string) => void;
}

export interface PlayOptions {
  /** Use this SSRC instead of the pool's (tests of pool reuse). */
  ssrc?: number;
  /** The camera answers this long after the open (null: never); a test's play ends at first media, without BYE. */
  answerInMs?: number | null;
  /** The camera is offline: the INVITE is never answered (default: silentRate). */
  silent?: boolean;
  afterTimeout?: "sequence" | "parallel" | "none";
  /** The play the user starts after a timeout (default: a random one that does not retry again). */
  retry?: PlayOptions;
}

export type PlayOutcome = "media" | "open-failed" | "timeout" | "stopped";

export interface PlayResult {
  channel: number;
  streamId: string;
  ssrc: number;
  port: number | null;
  outcome: PlayOutcome;
  /** getRtpInfo said exist:true: the live server's port was used without an open. */
  joinedLive: boolean;
  failure: string | null;
  /** From the click to the first getMediaList that lists the stream. */
  firstMediaMs: number | null;
  /** The play the user started after this one timed out. */
  retried: PlayResult | null;
}


export interface WvpStats {
  plays: number;
  opened: number;
  joinedLive: number;
  /** openRtpServer failures by "code msg" ("network ..." when ZLM did not answer). */
  openFailures: Record<string, number>;
  alreadyExists: number;
  playTimeouts: number;
  withMedia: number;
  firstMediaMs: number[];
  /** A viewer's click or double click, with the plays the timer started after it. */
  actions: number;
  /** Actions none of whose plays saw media, and at least one timed out. */
  actionsTimedOut: number;
  actionsWithMedia: number;
}
