/**
 * Drives a recording of a real ZLM (../shared/zlm-fixtures/sequences) through
 * normalisation, reconciliation and the model, as the running app would see
 * it: API answers as the tap records them, hooks in arrival order. The sink is
 * an in-memory model or the real pipeline (its appendFrom).
 */
import fs from "node:fs";
import path from "node:path";
import type { NewEvent, PortscopeEvent } from "../events/types";
import { Lifecycle } from "../lifecycle/reduce";
import { normalizeHook } from "../ingest/normalize-hook";
import { reconcile } from "../ingest/reconcile";
import { classifyZlmAnswer } from "../zlm/errors";
import { rtpKey } from "../zlm/rtp-key";
import { FIXTURES_DIR } from "../zlm/fixtures";

export interface FixtureSink {
  appendFrom(derive: (model: Lifecycle) => NewEvent[]): unknown;
}

export const SEQUENCE_FILES = fs.readdirSync(path.join(FIXTURES_DIR, "sequences")).filter((f) => f.endsWith(".json")).sort();

export interface Step {
  t: number;
  hook?: { name: string; body: Record<string, unknown> };
  call?: { endpoint: string; query: URLSearchParams; answer: Record<string, unknown> | null };
}

export function loadSequence(name: string): Step[] {
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

/** Feeds every step of the recording to the sink, in order. */
export function driveSequence(name: string, sink: FixtureSink): void {
  const driver = sequenceDriver(name, sink);
  for (let i = 0; i < driver.steps; i++) driver.step(i);
}

/** The recording one step at a time, for a caller that does something (awaits, reconnects) between steps. */
export function sequenceDriver(name: string, sink: FixtureSink) {
  const rtpInfo = new Map<string, boolean>();
  const apply = (events: NewEvent[]) => sink.appendFrom(() => events);
  const steps = loadSequence(name);
  return { steps: steps.length, step: (i: number) => driveStep(steps[i], sink, apply, rtpInfo) };
}

/** The recording replayed into a fresh in-memory model. */
export function replaySequence(name: string): Lifecycle {
  const model = new Lifecycle();
  let id = 0;
  driveSequence(name, { appendFrom: (derive) => derive(model).forEach((e) => model.apply({ ...e, id: ++id } as PortscopeEvent)) });
  return model;
}

function driveStep(step: Step, sink: FixtureSink, apply: (events: NewEvent[]) => void, rtpInfo: Map<string, boolean>): void {
  const at = Math.round(step.t * 1000);
  if (step.hook) {
    sink.appendFrom((model) => normalizeHook({ nodeId: "ref", hook: step.hook!.name, body: step.hook!.body, at }, model));
    return;
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
    sink.appendFrom((model) => reconcile({ nodeId: "ref", at, rtpServers: (answer!.data as never[]) ?? [], media: null }, model));
  }
}
