/**
 * What a key is doing, read before an operator action touches it: whether a
 * server holds it (listRtpServer), on which port, mode and SSRC, and whether
 * media flows (getMediaList's bytesSpeed; the model's pause). Pure: the
 * actions read ZLM, this module says what the answers mean, and what a safe
 * reopen keeps by default.
 */
import type { MediaSourceRow, RtpServerRow } from "../zlm/schemas";
import type { SessionState } from "../lifecycle/types";

export type KeyActivity =
  | "absent" // no server holds the key
  | "waiting" // a server holds it, no media registered yet
  | "receiving" // media registered and bytes flowing
  | "paused" // receiving with ZLM's timeout check paused (pauseRtpCheck)
  | "stalled"; // media still registered, but no bytes in the last second

export interface Preflight {
  held: boolean;
  port: number | null;
  tcpMode: number | null;
  ssrc: number | null;
  activity: KeyActivity;
  /** The registered stream's receive rate (largest over its schemas), null when none is registered. */
  bytesPerSec: number | null;
  /** Whether closing now interrupts media a camera is sending. */
  mediaLive: boolean;
}

export function describeKey(holder: RtpServerRow | null, media: MediaSourceRow[], session: { state: SessionState } | null): Preflight {
  const registered = media.length > 0;
  const bytesPerSec = registered ? Math.max(0, ...media.map((m) => m.bytesSpeed ?? 0)) : null;
  const activity: KeyActivity = !holder ? "absent" : !registered ? "waiting" : session?.state === "paused" ? "paused" : (bytesPerSec ?? 0) > 0 ? "receiving" : "stalled";
  return {
    held: !!holder,
    port: holder?.port ?? null,
    tcpMode: holder?.tcp_mode ?? null,
    ssrc: holder?.ssrc ?? null,
    activity,
    bytesPerSec,
    mediaLive: activity === "receiving" || activity === "paused",
  };
}

export interface OpenChoice {
  port?: number;
  tcp_mode?: 0 | 1 | 2;
  ssrc?: number;
  re_use_port?: boolean;
  /** Keep the holder's port, tcp_mode and SSRC unless given (default: keep). */
  keep?: boolean;
}

/**
 * The open a reopen makes. By default it keeps the holder's port, tcp_mode and
 * SSRC, so a camera that keeps sending is received again by the new server
 * (a real ZLM took the same fixed port back 28 of 28 times while media flowed,
 * docs/real-zlm-check.md); a port that is kept is reopened with re_use_port
 * (ZLM's maintainers' advice for a just-closed port, #2310), except in
 * tcp_mode 2 where ZLM dials out. Anything given explicitly wins.
 */
export function reopenParams(pre: Preflight, choice: OpenChoice): { port: number; tcp_mode: 0 | 1 | 2; ssrc: number | undefined; re_use_port: boolean | undefined; kept: boolean } {
  const keep = (choice.keep ?? true) && pre.held;
  const port = choice.port ?? (keep ? pre.port! : 0);
  const tcp_mode = choice.tcp_mode ?? (keep ? asMode(pre.tcpMode) : 0);
  const ssrc = choice.ssrc ?? (keep && pre.ssrc ? pre.ssrc : undefined);
  const re_use_port = choice.re_use_port ?? (port !== 0 && tcp_mode !== 2 ? true : undefined);
  return { port, tcp_mode, ssrc, re_use_port, kept: keep };
}

const asMode = (m: number | null): 0 | 1 | 2 => (m === 1 || m === 2 ? m : 0);
