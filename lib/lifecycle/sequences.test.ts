import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import type { NewEvent, PortscopeEvent } from "../events/types";
import { Lifecycle } from "./reduce";
import { normalizeHook } from "../ingest/normalize-hook";
import { reconcile } from "../ingest/reconcile";
import { classifyZlmAnswer } from "../zlm/errors";
import { rtpKey } from "../zlm/rtp-key";
import { FIXTURES_DIR } from "../zlm/fixtures";

/**
 * Replays each recording of a real ZLM through normalisation, reconciliation
 * and the reducer, as the running app would see it (API answers as the tap
 * sees them, hooks in arrival order), and checks the sessions it yields.
 */
interface Step {
  t: number;
  hook?: { name: string; body: Record<string, unknown> };
  call?: { endpoint: string; query: URLSearchParams; answer: Record<string, unknown> | null };
}

function load(name: string): Step[] {
  const seq = JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, "sequences", name), "utf8")) as Record<string, unknown>;
  const steps: Step[] = [];
  for (const c of [...((seq.calls as []) ?? []), ...((seq.captures as []) ?? [])] as { t: number; url: string; raw: string }[]) {
    const u = new URL(c.url, "http://zlm");
    let answer: Record<string, unknown> | null = null;
    try {
      answer = JSON.parse(c.raw) as Record<string, unknown>;
    } catch {
      answer = null;
    }
    steps.push({ t: c.t, call: { endpoint: u.pathname.split("/").pop()!, query: u.searchParams, answer } });
  }
  const hooks = [...((seq.hooks as []) ?? [])] as { t?: number; ts?: number; path: string; body: Record<string, unknown> }[];
  for (const k of ["first", "last"]) if (seq[k]) hooks.push(seq[k] as { ts: number; path: string; body: Record<string, unknown> });
  for (const h of hooks) steps.push({ t: h.t ?? h.ts!, hook: { name: h.path.split("/").pop()!, body: h.body } });
  return steps.sort((a, b) => a.t - b.t);
}

function replay(name: string): Lifecycle {
  const model = new Lifecycle();
  let id = 0;
  const rtpInfo = new Map<string, boolean>();
  const apply = (events: NewEvent[]) => events.forEach((e) => model.apply({ ...e, id: ++id } as PortscopeEvent));
  for (const step of load(name)) {
    const at = Math.round(step.t * 1000);
    if (step.hook) {
      apply(normalizeHook({ nodeId: "ref", hook: step.hook.name, body: step.hook.body, at }, model));
      continue;
    }
    const { endpoint, query, answer } = step.call!;
    const key = rtpKey({ vhost: query.get("vhost"), app: query.get("app"), streamId: query.get("stream_id") ?? query.get("stream") ?? "" });
    const code = typeof answer?.code === "number" ? answer.code : null;
    const tap = (kind: NewEvent["kind"], port: number | null, payload: Record<string, unknown>): NewEvent => ({ at, nodeId: "ref", kind, key, port, source: "tap", payload });
    if (endpoint === "getRtpInfo" && code === 0) rtpInfo.set(key, answer!.exist === true);
    if (endpoint === "openRtpServer") {
      if (code === 0) apply([tap("rtp.opened", answer!.port as number, { port: answer!.port, tcp_mode: Number(query.get("tcp_mode") ?? 0) })]);
      else apply([tap("rtp.open_failed", null, { code, msg: answer?.msg ?? null, kind: classifyZlmAnswer({ code, msg: (answer?.msg as string) ?? null, httpStatus: 200 }), rtpInfoExist: rtpInfo.get(key) ?? null })]);
    }
    if (endpoint === "closeRtpServer" && code === 0 && answer!.hit === 1) apply([tap("rtp.closed", null, { hit: 1 })]);
    // As the tap records them (tap.server.ts record()): params lower-cased, secret dropped.
    if (endpoint === "pauseRtpCheck" || endpoint === "resumeRtpCheck") apply([tap("tap.call", null, { endpoint, params: Object.fromEntries([...query].filter(([k]) => k !== "secret").map(([k, v]) => [k.toLowerCase(), v])), status: 200, answer, code })]);
    if (endpoint === "listRtpServer" && code === 0) {
      apply(reconcile({ nodeId: "ref", at, rtpServers: (answer!.data as never[]) ?? [], media: null }, model));
    }
  }
  return model;
}

const sessionsOf = (m: Lifecycle, stream: string) => m.sessions({ key: `__defaultVhost__/rtp/${stream}` }).reverse();
/** Anomalies as seen right after the recording ends (recurring ones expire when their hooks stop). */
const types = (m: Lifecycle) => {
  const end = Math.max(0, ...m.anomalies(0).map((a) => a.lastSeenAt));
  return m.anomalies(end + 1000).filter((a) => a.type !== "waiting_past_timeout");
};

describe("replaying the recordings of a real ZLM", () => {
  it("stream_s1: one session opened -> receiving -> timed out -> released on its port; the concurrent ghost is flagged, not merged", () => {
    const m = replay("stream_s1.json");
    const [s] = sessionsOf(m, "s1");
    expect(sessionsOf(m, "s1")).toHaveLength(1);
    expect(s).toMatchObject({ port: 31278, openedBy: "tap", state: "released", releaseConfirmedBy: "poll", endCause: "timed out", timeouts: 1 });
    expect(s.firstMediaAt).not.toBeNull();
    expect(s.mediaStoppedAt).not.toBeNull();
    const ghost = types(m).find((a) => a.type === "ghost_receiver");
    expect(ghost).toMatchObject({ key: "__defaultVhost__/rtp/t_badport", port: 8080 });
    expect(ghost!.count).toBeGreaterThanOrEqual(5);
    expect(types(m).map((a) => a.type)).not.toContain("vanished_without_hook");
  });

  it("stream_s2: the same life for s2", () => {
    const m = replay("stream_s2.json");
    const [s] = sessionsOf(m, "s2");
    expect(s.firstMediaAt).not.toBeNull();
    expect(s.timedOutAt).not.toBeNull();
  });

  it("race_nodata: a server without media refuses reopens ('already exists' while absent) until it times out", () => {
    const m = replay("race_nodata.json");
    const [s] = sessionsOf(m, "race_nodata");
    expect(s).toMatchObject({ port: 30696, state: "timed_out", firstMediaAt: null });
    expect(types(m).map((a) => a.type)).toContain("exists_but_absent");
  });

  it("extra_tcp: a tcp_mode=1 sender disconnect releases with no timeout and is flagged; the reopen starts a new session", () => {
    const m = replay("extra_tcp.json");
    const [first, second] = sessionsOf(m, "x_tcp");
    expect(first).toMatchObject({ port: 30680, state: "released", timedOutAt: null, endCause: "vanished" });
    expect(first.firstMediaAt).not.toBeNull();
    expect(second).toMatchObject({ port: 32146, state: "waiting" });
    expect(types(m).map((a) => a.type).sort()).toEqual(["exists_but_absent", "vanished_without_hook"]);
  });

  it("extra_pause: paused from the accepted pauseRtpCheck until the server still times out, with media stopped first", () => {
    const m = replay("extra_pause.json");
    const [s] = sessionsOf(m, "x_pause");
    expect(s).toMatchObject({ port: 33048, state: "timed_out" });
    expect(s.mediaStoppedAt).toBe(s.timedOutAt);
    // pause_seconds=12 at 2.003 s; ZLM timed it out at 12.007 s, before the 12 s were over.
    expect(s.pauses).toEqual([{ from: 2003, to: 12007, until: 14003 }]);
  });

  it("race_close_streams: hooks for a server opened before the recording raise nothing by themselves; the stray hls is ignored; the reopen waits", () => {
    const m = replay("race_close_streams.json");
    const sessions = sessionsOf(m, "race_cs");
    expect(sessions.map((s) => [s.port, s.state])).toEqual([[32092, "waiting"]]);
    expect(types(m)).toEqual([]);
  });

  it("ghost_badport: timeout hooks for a key never listed are one ghost_receiver anomaly", () => {
    const m = replay("ghost_badport.json");
    expect(types(m)).toEqual([expect.objectContaining({ type: "ghost_receiver", port: 8080, count: 2, active: true })]);
    expect(m.sessions()).toEqual([]);
  });

  it("every other recording replays without creating sessions from nowhere", () => {
    for (const name of ["race_fixed_port_live.json", "extra_flow.json", "extra_sendrtp.json", "extra_sendrtp_tcp.json"]) {
      const m = replay(name);
      for (const s of m.sessions()) expect(s.openedBy, name).not.toBe("hook");
    }
  });
});
