import { describe, expect, it } from "vitest";
import type { PortscopeEvent } from "../events/types";
import type { PortSession } from "../lifecycle/types";
import { diagnoseAlreadyExists, type DiagnosisInput } from "./already-exists";

const KEY = "__defaultVhost__/rtp/cam";
const holder: PortSession = { id: "h", nodeId: "n", key: KEY, port: 30000, tcpMode: 0, ssrc: 0, state: "waiting", openedBy: "tap", openedAt: 10_000, firstMediaAt: null, mediaStoppedAt: null, timedOutAt: null, closedAt: null, closedBy: null, releasedAt: null, releaseConfirmedBy: null, endCause: null, failure: null, timeouts: 0, lastEventId: 1, lastEventAt: 10_000 };
const base: DiagnosisInput = { key: KEY, at: 20_000, code: -300, msg: "This stream already exists", requestedPort: 0, holder: null, recent: [], timeoutSec: 15, buildTime: "2026-11-23T23:13:20" };
const ev = (kind: PortscopeEvent["kind"], at: number, key = KEY): PortscopeEvent => ({ id: at, at, nodeId: "n", kind, key, port: null, source: "tap", payload: {} });

describe("diagnoseAlreadyExists", () => {
  it("(a) a holder still waiting for media, with its timeout window", () => {
    const v = diagnoseAlreadyExists({ ...base, holder });
    expect(v.cause).toBe("a");
    expect(v.evidence.timesOutBetween).toEqual([25_000, 28_000]);
  });
  it("(b) a close sent just before, answered after the open", () => {
    expect(diagnoseAlreadyExists({ ...base, holder, recent: [ev("rtp.close_requested", 19_800)] }).cause).toBe("b");
    expect(diagnoseAlreadyExists({ ...base, holder, pendingCloseAt: 19_990 }).cause).toBe("b");
  });
  it("(c) two opens of one key, or the -400 assertion of concurrent opens", () => {
    expect(diagnoseAlreadyExists({ ...base, holder: { ...holder, openedAt: 19_900 } }).cause).toBe("c");
    expect(diagnoseAlreadyExists({ ...base, code: -400, msg: "Assertion failed: (it.second)", holder }).cause).toBe("c");
    expect(diagnoseAlreadyExists({ ...base, holder: { ...holder, state: "receiving", firstMediaAt: 11_000 } }).cause).toBe("c");
    expect(diagnoseAlreadyExists({ ...base, recentOpenAt: 19_995 }).cause).toBe("c");
  });
  it("(d) a close with another vhost/app left the server in place", () => {
    expect(diagnoseAlreadyExists({ ...base, recent: [ev("rtp.close_requested", 15_000, "__defaultVhost__/live/cam")] }).cause).toBe("d");
    expect(diagnoseAlreadyExists({ ...base, holder, recent: [ev("rtp.close_requested", 15_000, "__defaultVhost__/live/cam")] }).cause).toBe("d");
  });
  it("(e) a fixed port rebound without re_use_port", () => {
    expect(diagnoseAlreadyExists({ ...base, code: -400, msg: "创建rtp端口 127.0.0.1:30600 失败:address already in use", requestedPort: 30600 }).cause).toBe("e");
  });
  it("(f) the short teardown window of a ZLM built before June 2024", () => {
    expect(diagnoseAlreadyExists({ ...base, buildTime: "2024-03-01T10:00:00", recent: [ev("stream.unregistered", 19_500)] }).cause).toBe("f");
    expect(diagnoseAlreadyExists({ ...base, commitHash: "Git_Unkown_commit", recent: [ev("stream.unregistered", 19_500)] }).cause).toBe("f");
    expect(diagnoseAlreadyExists({ ...base, recent: [ev("stream.unregistered", 19_500)] }).cause).toBe("unknown");
  });
});
