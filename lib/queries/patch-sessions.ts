/**
 * Applies live lifecycle events to a cached session list, so the timeline
 * moves with SSE without refetching thousands of rows (polling still
 * reconciles every 15 s). Pure: returns a new list when something changed,
 * the same list otherwise.
 */
import type { PortscopeEvent } from "../events/types";
import { LIVE_STATES, type PortSession } from "../lifecycle/types";


export function patchSessions(list: PortSession[], events: PortscopeEvent[], matches: (s: PortSession) => boolean = () => true): PortSession[] {
  let out: PortSession[] | null = null;
  const index = new Map<string, number>();
  list.forEach((s, i) => {
    if (LIVE_STATES.has(s.state)) index.set(`${s.nodeId}|${s.key}`, i);
  });
  const edit = (i: number, change: Partial<PortSession>) => {
    out ??= [...list];
    out[i] = { ...out[i], ...change };
  };
  for (const e of events) {
    if (!e.key || !e.kind.startsWith("rtp.")) continue;
    const slot = `${e.nodeId}|${e.key}`;
    const i = index.get(slot);
    const base = { lastEventId: e.id, lastEventAt: e.at };
    // A refetch may already contain what this batch says: never apply an event twice or backwards.
    if (e.kind === "rtp.opened" && (out ?? list).some((x) => x.id === `${e.nodeId}|${e.key}|${e.id}`)) continue;
    if (e.kind === "rtp.opened" && i === undefined) {
      const s: PortSession = { id: `${e.nodeId}|${e.key}|${e.id}`, nodeId: e.nodeId, key: e.key, port: e.port, tcpMode: null, ssrc: null, state: "waiting", openedBy: e.source, openedAt: e.at, firstMediaAt: null, mediaStoppedAt: null, timedOutAt: null, closedAt: null, closedBy: null, releasedAt: null, releaseConfirmedBy: null, endCause: null, failure: null, timeouts: 0, ...base };
      if (!matches(s)) continue;
      out ??= [...list];
      out.unshift(s);
      index.clear();
      out.forEach((x, k) => LIVE_STATES.has(x.state) && index.set(`${x.nodeId}|${x.key}`, k));
      continue;
    }
    if (i === undefined) continue;
    const s = (out ?? list)[i];
    if (e.id <= s.lastEventId) continue;
    switch (e.kind) {
      case "rtp.receiving":
        if (s.state === "waiting" || s.state === "media_stopped") edit(i, { ...base, state: "receiving", firstMediaAt: s.firstMediaAt ?? e.at });
        break;
      case "rtp.media_stopped":
        if (s.state === "receiving") edit(i, { ...base, state: "media_stopped", mediaStoppedAt: e.at });
        break;
      case "rtp.timed_out":
        if (s.state !== "closed" && (s.port === null || e.port === null || s.port === e.port)) edit(i, { ...base, state: "timed_out", timedOutAt: s.timedOutAt ?? e.at });
        break;
      case "rtp.closed":
        edit(i, { ...base, state: "closed", closedAt: e.at, closedBy: e.source });
        break;
      case "rtp.released":
        edit(i, { ...base, state: "released", releasedAt: e.at, releaseConfirmedBy: e.source === "poll" ? "poll" : "hook" });
        index.delete(slot);
        break;
      default:
        break;
    }
  }
  return out ?? list;
}
