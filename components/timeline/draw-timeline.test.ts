import { describe, expect, it } from "vitest";
import type { PortSession } from "@/lib/lifecycle/types";
import { STATE_STYLES } from "@/lib/ui/state-palette";
import { themeFrom } from "./canvas-theme";
import { drawTimeline, LABEL_WIDTH, type View } from "./draw-timeline";

/** A 2D context that records the boxes filled in each colour. */
function recordingContext() {
  const boxes: { fill: string; x: number; w: number }[] = [];
  let fill = "";
  const ctx = new Proxy({} as Record<string, unknown>, {
    get: (_, prop) => {
      if (prop === "fillRect") return (x: number, _y: number, w: number) => boxes.push({ fill, x, w });
      if (prop === "measureText") return () => ({ width: 10 });
      return () => {};
    },
    set: (_, prop, value) => {
      if (prop === "fillStyle") fill = String(value);
      return true;
    },
  });
  return { ctx: ctx as unknown as CanvasRenderingContext2D, boxes };
}

const live: PortSession = { id: "n|k|1", nodeId: "n", key: "__defaultVhost__/rtp/cam", port: 30000, tcpMode: 0, ssrc: 1, state: "receiving", openedBy: "poll", openedAt: 0, firstMediaAt: 100, mediaStoppedAt: null, timedOutAt: null, closedAt: null, closedBy: null, releasedAt: null, releaseConfirmedBy: null, endCause: null, failure: null, timeouts: 0, lastEventId: 9, lastEventAt: 4000 };
const view: View = { from: 0, to: 10_000, now: 10_000, width: LABEL_WIDTH + 1000, height: 200, scrollTop: 0 };
const rows = [{ id: "r", label: "cam", sublabel: "", sessions: [live] }];
const receivingHex = STATE_STYLES.receiving.hex;
const grey = "#64748b";
const filled = (boxes: { fill: string; x: number; w: number }[], fill: string) => boxes.filter((b) => b.fill === fill && b.x >= LABEL_WIDTH).reduce((sum, b) => sum + b.w, 0);

describe("drawTimeline and liveness", () => {
  it("draws a live session in its state colour up to now", () => {
    const { ctx, boxes } = recordingContext();
    const summary = drawTimeline(ctx, rows, view, { theme: themeFrom(() => ""), hoverRow: null, liveness: () => ({ kind: "live" }) });
    expect(filled(boxes, receivingHex)).toBeCloseTo(990, 0);
    expect(filled(boxes, grey)).toBe(0);
    expect(summary.sessions[0].stale).toBeUndefined();
  });
  it("greys a history row whole, ending where its node's data ended", () => {
    const { ctx, boxes } = recordingContext();
    const summary = drawTimeline(ctx, rows, view, { theme: themeFrom(() => ""), hoverRow: null, liveness: () => ({ kind: "history" }) });
    expect(filled(boxes, receivingHex)).toBe(0);
    expect(filled(boxes, grey)).toBeCloseTo(400, 0); // 0..4000 ms of 10 s on 1000 px
    expect(summary.sessions[0].stale).toBe("history");
  });
  it("greys an unreachable node's session from its last good poll on", () => {
    const { ctx, boxes } = recordingContext();
    const summary = drawTimeline(ctx, rows, view, { theme: themeFrom(() => ""), hoverRow: null, liveness: () => ({ kind: "unknown", since: 6000 }) });
    expect(filled(boxes, receivingHex)).toBeCloseTo(590, 0); // 100..6000
    expect(filled(boxes, grey)).toBeCloseTo(400, 0); // 6000..10000
    expect(summary.sessions[0].stale).toBe("unknown");
  });
});
