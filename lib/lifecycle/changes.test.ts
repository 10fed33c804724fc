import { describe, expect, it } from "vitest";
import type { PortscopeEvent } from "../events/types";
import { Lifecycle } from "./reduce";
import { stateAt } from "./state-at";
import { LIVE_STATES } from "./types";
import { SEQUENCE_FILES, sequenceDriver } from "../testing/fixture-replay";

/**
 * The model reports every row an event changes (browsers replace their rows
 * from that report, and a replay sends the rows whose lastEventId is after the
 * client's): over every recording, each session whose data changed is in
 * takeChanges() and carries the event's id; nothing unchanged is reported;
 * and the history view (stateAt) gives each changed live row the reducer's state.
 */
describe("the model's change report", () => {
  for (const file of SEQUENCE_FILES) {
    it(file, () => {
      const model = new Lifecycle();
      let id = 0;
      let events = 0;
      const rows = () => new Map(model.sessions().map((s) => [s.id, JSON.stringify(s)]));
      const driver = sequenceDriver(file, {
        appendFrom: (derive) => {
          for (const e of derive(model)) {
            const ev = { ...e, id: ++id } as PortscopeEvent;
            const before = rows();
            model.apply(ev);
            const reported = model.takeChanges();
            const changed = [...rows()].filter(([sid, json]) => before.get(sid) !== json).map(([sid]) => sid);
            expect(reported.sessions.map((s) => s.id).sort(), `${ev.kind} #${ev.id}`).toEqual(changed.sort());
            for (const s of reported.sessions) expect(s.lastEventId).toBe(ev.id);
            expect(reported.nodes).toEqual([ev.nodeId]);
            // The history view agrees with the reducer at the moment of each change.
            for (const s of reported.sessions) if (LIVE_STATES.has(s.state)) expect(stateAt(s, s.lastEventAt), `${s.id} after ${ev.kind}`).toBe(s.state);
            events++;
          }
        },
      });
      for (let i = 0; i < driver.steps; i++) driver.step(i);
      expect(events === 0 || model.sessionsChangedAfter(0).length === model.sessions().length).toBe(true);
    });
  }

  it("takeChanges empties the report, and sessionsChangedAfter finds rows by their last event", () => {
    const model = new Lifecycle();
    const open = (id: number, stream: string): PortscopeEvent => ({ id, at: id, nodeId: "n", kind: "rtp.opened", key: `__defaultVhost__/rtp/${stream}`, port: 30000 + id, source: "tap", payload: { port: 30000 + id } });
    model.apply(open(1, "a"));
    model.apply(open(2, "b"));
    expect(model.takeChanges().sessions.map((s) => s.key)).toEqual(["__defaultVhost__/rtp/a", "__defaultVhost__/rtp/b"]);
    expect(model.takeChanges()).toEqual({ sessions: [], nodes: [], anomalies: false });
    expect(model.sessionsChangedAfter(1).map((s) => s.key)).toEqual(["__defaultVhost__/rtp/b"]);
  });
});
