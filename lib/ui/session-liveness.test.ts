import { describe, expect, it } from "vitest";
import { sessionLiveness } from "./session-liveness";

const nodes = [
  { id: "zlm-1", reachability: "online" as const, poll: { lastPollAt: 10, lastOkAt: 10, lastPollMs: 3, consecutiveFailures: 0 } },
  { id: "zlm-2", reachability: "offline" as const, poll: { lastPollAt: 50, lastOkAt: 20, lastPollMs: null, consecutiveFailures: 3 } },
];

describe("whether a live-looking session is live", () => {
  it("live on a configured node that answers", () => expect(sessionLiveness({ nodeId: "zlm-1", state: "receiving" }, nodes)).toEqual({ kind: "live" }));
  it("history on a node that is not configured (an earlier run's database)", () => expect(sessionLiveness({ nodeId: "demo-2", state: "receiving" }, nodes)).toEqual({ kind: "history" }));
  it("unknown since the last good poll on an unreachable node", () => expect(sessionLiveness({ nodeId: "zlm-2", state: "waiting" }, nodes)).toEqual({ kind: "unknown", since: 20 }));
  it("ended sessions are ended wherever they were", () => expect(sessionLiveness({ nodeId: "demo-2", state: "released" }, nodes)).toEqual({ kind: "ended" }));
});
