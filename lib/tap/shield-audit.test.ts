import { describe, expect, it } from "vitest";
import type { PortscopeEvent } from "../events/types";
import { decisionCounts, liveServersClosedByShield } from "./shield-audit";

let id = 0;
const ev = (at: number, kind: PortscopeEvent["kind"], port: number | null, payload: Record<string, unknown> = {}): PortscopeEvent => ({ id: ++id, at, nodeId: "z", kind, key: "__defaultVhost__/rtp/cam", port, source: "tap", payload });
const closedBy = (at: number, port: number) => ev(at, "shield.decision", null, { decision: "replaced the waiting holder: ZLM drops it in 900 ms, less than 3500 ms", closed: [{ port, hasMedia: false }] });

describe("liveServersClosedByShield", () => {
  it("finds a shield close of a holder that had media since its open", () => {
    const events = [ev(0, "rtp.opened", 30010), ev(500, "stream.publish", null), closedBy(900, 30010)];
    expect(liveServersClosedByShield(events)).toEqual([{ key: "__defaultVhost__/rtp/cam", port: 30010, decisionAt: 900, mediaEvent: `stream.publish #${events[1].id}` }]);
  });

  it("does not blame the shield for media of an earlier server on the key, nor for closes of waiting holders", () => {
    const events = [ev(0, "rtp.opened", 30000), ev(100, "stream.registered", null), ev(5000, "rtp.released", 30000), ev(6000, "rtp.opened", 30010), closedBy(7000, 30010), ev(7100, "rtp.opened", 30020)];
    expect(liveServersClosedByShield(events)).toEqual([]);
    expect(decisionCounts(events)).toEqual({ "replaced the waiting holder: ZLM drops it in N ms, less than N ms": 1 });
  });
});
