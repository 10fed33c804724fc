/**
 * Why did openRtpServer say "already exists"? A verdict from what Portscope
 * knows at that moment: the key's live session (from polls, hooks, the tap),
 * recent calls and events for the same stream id, and the node's ZLM build.
 * Causes follow reference 5.6 / issue 5: (a) holder still waiting for media,
 * (b) close and open out of order, (c) the same key opened twice, (d) a close
 * with another vhost/app, (e) fixed-port rebind, (f) old ZLM teardown window.
 */
import type { PortscopeEvent } from "../events/types";
import type { PortSession } from "../lifecycle/types";

export type Cause = "a" | "b" | "c" | "d" | "e" | "f" | "unknown";

export interface Verdict {
  cause: Cause;
  title: string;
  evidence: Record<string, unknown>;
  fix: string;
}

export interface DiagnosisInput {
  key: string;
  at: number;
  code: number | null;
  msg: string | null;
  requestedPort: number | null;
  /** The key's live session when the answer came, if any. */
  holder: PortSession | null;
  /** Events of the last minute whose stream id equals this key's (any vhost/app). */
  recent: PortscopeEvent[];
  timeoutSec: number;
  /** ZLM build date (version.buildTime / commit date); before June 2024 means the old teardown order. */
  buildTime: string | null;
  /** ZLM's version answer's commitHash: builds without git metadata ("Git_Unkown_…") predate the fix too. */
  commitHash?: string | null;
  /** A close of this key the tap forwarded and ZLM had not answered yet when this open was sent. */
  pendingCloseAt?: number | null;
  /** A successful open of this key the tap saw answered moments before (the other side of a concurrent open). */
  recentOpenAt?: number | null;
}

/** The only event kinds a diagnosis reads from the recent history (the runtime keeps no others in memory). */
export const DIAGNOSIS_EVENT_KINDS: ReadonlySet<string> = new Set(["rtp.close_requested", "rtp.closed", "stream.unregistered"]);

const LEGACY_BEFORE = Date.parse("2024-06-01T00:00:00Z");

export function diagnoseAlreadyExists(i: DiagnosisInput): Verdict {
  const streamId = i.key.split("/").slice(2).join("/");
  if (i.code === -400 && /address already in use/i.test(i.msg ?? "") && i.requestedPort) {
    return { cause: "e", title: "Fixed-port rebind without re_use_port", evidence: { port: i.requestedPort, msg: i.msg }, fix: "Open with port=0, or set re_use_port=1 on both the old and the new server, or wait for the old server's release." };
  }
  const closes = i.recent.filter((e) => (e.kind === "rtp.close_requested" || e.kind === "rtp.closed") && e.at <= i.at);
  const lastClose = closes[closes.length - 1];
  const exactClose = [...closes].reverse().find((e) => e.key === i.key);
  const otherKeyClose = [...closes].reverse().find((e) => e.key !== i.key && e.key?.endsWith(`/${streamId}`) && i.at - e.at < 60_000);
  if (otherKeyClose && (!exactClose || exactClose.at < otherKeyClose.at)) {
    return { cause: "d", title: "Closed with another vhost/app: the server was never closed", evidence: { closedKey: otherKeyClose.key, closeAt: otherKeyClose.at, holderPort: i.holder?.port ?? null }, fix: `Close with the exact vhost/app/stream_id that listRtpServer reports (${i.key}).` };
  }
  if (i.pendingCloseAt != null && i.at - i.pendingCloseAt < 1500) {
    return { cause: "b", title: "Close and open sent out of order", evidence: { closeSentAt: i.pendingCloseAt, gapMs: i.at - i.pendingCloseAt, holderPort: i.holder?.port ?? null }, fix: "Wait for the close's answer and the release (listRtpServer no longer lists the key) before opening again; do not send them in parallel." };
  }
  const build = i.buildTime ? Date.parse(i.buildTime) : NaN;
  const legacy = (Number.isFinite(build) && build < LEGACY_BEFORE) || (i.commitHash ?? "").startsWith("Git_Unkown");
  const unregistered = i.recent.find((e) => e.kind === "stream.unregistered" && e.key === i.key && i.at - e.at < 2000);
  if (legacy && unregistered) {
    return { cause: "f", title: "Old ZLM teardown window: stream gone, server entry not yet", evidence: { buildTime: i.buildTime, commitHash: i.commitHash ?? null, unregisteredAt: unregistered.at }, fix: "Retry after a short delay (the entry goes within about a second) or upgrade ZLM past June 2024." };
  }
  if (!i.holder && i.recentOpenAt != null && i.at - i.recentOpenAt < 1500) {
    return { cause: "c", title: "The same key was opened twice (concurrent or duplicate open)", evidence: { otherOpenAt: i.recentOpenAt, code: i.code }, fix: "Serialise opens per stream id; treat a repeated open as idempotent (reuse the holder's port) instead of retrying blindly." };
  }
  if (i.holder) {
    const h = i.holder;
    const base = { holderPort: h.port, holderOpenedAt: h.openedAt, holderOpenedBy: h.openedBy, holderState: h.state };
    if (lastClose && lastClose.key === i.key && i.at - lastClose.at < 1500 && lastClose.at >= h.openedAt) {
      return { cause: "b", title: "Close and open sent out of order", evidence: { ...base, closeAt: lastClose.at, gapMs: i.at - lastClose.at }, fix: "Wait for the close's answer and the release (listRtpServer no longer lists the key) before opening again; do not send them in parallel." };
    }
    if (i.code === -400 || (h.firstMediaAt === null && i.at - h.openedAt < 1500)) {
      return { cause: "c", title: "The same key was opened twice (concurrent or duplicate open)", evidence: { ...base, sinceOpenMs: i.at - h.openedAt, code: i.code }, fix: "Serialise opens per stream id; treat a repeated open as idempotent (reuse the holder's port) instead of retrying blindly." };
    }
    if (h.firstMediaAt === null) {
      const deadline = h.openedAt + i.timeoutSec * 1000;
      return { cause: "a", title: "A server still holds the key, waiting for media", evidence: { ...base, timesOutBetween: [deadline, deadline + 3000] }, fix: "Reuse the holder's port (it is waiting for exactly this stream), or close it and wait for the release; check why the camera sends nothing (INVITE, SSRC, firewall)." };
    }
    return { cause: "c", title: "The key is already live with media", evidence: { ...base, firstMediaAt: h.firstMediaAt }, fix: "The stream is up: play it instead of opening again, or close it first." };
  }
  return { cause: "unknown", title: "Holder not seen by Portscope", evidence: { lastCloseAt: lastClose?.at ?? null }, fix: "Check listRtpServer: a server opened by another client since the last poll holds the key." };
}
