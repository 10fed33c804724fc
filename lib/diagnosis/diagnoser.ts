/**
 * Gathers what a verdict needs (the key's live session, the last minute of
 * events for its stream id, the node's timeoutSec and ZLM build) so the tap
 * and the actions diagnose an "already exists" the same way.
 */
import type { PortscopeEvent } from "../events/types";
import type { Lifecycle } from "../lifecycle/reduce";
import { isAlreadyExists } from "../zlm/errors";
import { diagnoseAlreadyExists, type DiagnosisInput, type Verdict } from "./already-exists";

export interface DiagnoserDeps {
  lifecycle: Pick<Lifecycle, "currentSession" | "node">;
  recentForStream(nodeId: string, streamId: string, since: number): Promise<PortscopeEvent[]>;
  buildTime(nodeId: string): string | null;
  commitHash?(nodeId: string): string | null;
}

/** What the caller knows of a refused open; the diagnoser adds the node's context (recent events, timeoutSec, build). */
export type FailedOpen = Pick<DiagnosisInput, "key" | "at" | "code" | "msg" | "requestedPort" | "holder" | "pendingCloseAt" | "recentOpenAt"> & { nodeId: string };

/** "already exists", the -400 concurrent-open assertion, and a fixed-port bind failure get a verdict. */
export function needsVerdict(code: number | null, msg: string | null): boolean {
  return isAlreadyExists(code, msg) || (code === -400 && /address already in use/i.test(msg ?? ""));
}

export type Diagnoser = (f: FailedOpen) => Promise<Verdict>;

export function createDiagnoser(deps: DiagnoserDeps): Diagnoser {
  return async (f) => {
    const streamId = f.key.split("/").slice(2).join("/");
    const recent = streamId ? await deps.recentForStream(f.nodeId, streamId, f.at - 60_000) : [];
    const { nodeId, ...open } = f;
    return diagnoseAlreadyExists({
      ...open,
      recent,
      timeoutSec: deps.lifecycle.node(nodeId)?.timeoutSec ?? 15,
      buildTime: deps.buildTime(nodeId),
      commitHash: deps.commitHash?.(nodeId) ?? null,
      pendingCloseAt: f.pendingCloseAt ?? null,
      recentOpenAt: f.recentOpenAt ?? null,
    });
  };
}
