/**
 * The typed SSE frame that carries model state to browsers (browser-safe:
 * types and a name only). Sent after each committed batch, and once at the
 * end of a Last-Event-ID replay.
 */
import type { PortSession } from "../lifecycle/types";

/** The SSE `event:` name of a state frame. */
export const STATE_FRAME = "state";

export interface StateFrame {
  /** Rows as the server's model holds them: the browser replaces its cached rows by id, newest lastEventId wins. */
  sessions: PortSession[];
  /** Nodes whose model changed (their /api/nodes status may have moved). */
  nodes: string[];
  /** Whether the anomaly book changed (raised, counted or ended). */
  anomalies: boolean;
}
