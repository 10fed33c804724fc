/**
 * Switches that make the emulator reproduce each known cause of
 * `-300 "This stream already exists"` while getRtpInfo says `exist:false`
 * (zlm-reference §5.6), plus older-ZLM behaviour. Defaults follow ZLM master
 * as recorded in shared/zlm-fixtures.
 */
export interface EmulatorKnobs {
  /** Probability that a loser of a concurrent open gets ZLM's -400 assertion text instead of -300 (observed 3-18%). */
  assertionRate: number;
  /** Extra time inside openRtpServer between the registry lookup and the insert: widens the check-then-act window. */
  openLatencyMs: number;
  /** Extra time before closeRtpServer touches the registry: an open sent in parallel overtakes it (cause b). */
  closeLatencyMs: number;
  /** Delay before an on_publish answer takes effect (a slow business server). */
  publishDelayMs: number;
  /** Time from the first decoded frame to "tracks ready" (fmp4/rtmp/rtsp/ts registration; observed ~0.2 s). */
  registerDelayMs: number;
  /** Extra time until the hls schema registers (first segment; observed ~2 s with hls.segDur=2). */
  hlsDelayMs: number;
  /**
   * `current`: registry entry erased first, then on_rtp_server_timeout, then media unregistered (master).
   * `legacy`: RtpSelector era (before 2024-06-09): getRtpInfo follows the receiver process, which is
   * dropped first; the registry entry is erased `legacyTeardownGapMs` later, so getRtpInfo says
   * exist:false while openRtpServer still answers "already exists".
   */
  teardownOrder: "current" | "legacy";
  legacyTeardownGapMs: number;
  /** Time between the registry erase and the media unregistration in master (observed up to ~4 ms). */
  teardownGapMs: number;
  /** Sockets of a closed server stay bound this long (older builds): an immediate fixed-port rebind fails with a bind error. */
  releaseDelayMs: number;
  /** `legacy` answers duplicates with the pre-2024-07-09 text 该stream_id已存在. */
  duplicateMessage: "current" | "legacy";
}

/** Per-stream_id misbehaviour of the network or the media, for tests and demos. */
export interface StreamKnobs {
  /** Every packet is lost before it reaches ZLM (firewall, wrong IP/port, INVITE never answered). */
  dropPackets?: boolean;
  /** Packets are lost until this long after the open (late media). */
  mediaDelayMs?: number;
  /** Payload never demuxes (e.g. raw H.264 on the PS payload type). */
  undecodable?: boolean;
  /** This stream's on_rtp_server_timeout never reaches the hook server (lost on the network, or a hook URL left empty). */
  loseTimeoutHook?: boolean;
}

export const DEFAULT_KNOBS: EmulatorKnobs = {
  assertionRate: 0.05,
  openLatencyMs: 0,
  closeLatencyMs: 0,
  publishDelayMs: 0,
  registerDelayMs: 200,
  hlsDelayMs: 2000,
  teardownOrder: "current",
  legacyTeardownGapMs: 400,
  teardownGapMs: 2,
  releaseDelayMs: 0,
  duplicateMessage: "current",
};

export const DUPLICATE_MESSAGES = {
  current: "This stream already exists",
  legacy: "该stream_id已存在",
} as const;
