import { describe, expect, it } from "vitest";
import type { PortscopeEvent } from "../events/types";
import { eventsToCsv, eventsToNdjson } from "./export";
import { searchMatcher } from "./session-filter";
import type { PortSession } from "../lifecycle/types";

const ev: PortscopeEvent = { id: 7, at: 0, nodeId: "n", kind: "rtp.timed_out", key: "__defaultVhost__/rtp/cam", port: 30000, source: "hook", hookIndex: 11, payload: { msg: 'a "quoted", text' } };

describe("exports", () => {
  it("writes CSV with a header, ISO time and quoted JSON payload", () => {
    expect(eventsToCsv([ev])).toBe('id,time_utc,at_ms,node,kind,key,port,source,hook_index,payload\r\n7,1970-01-01T00:00:00.000Z,0,n,rtp.timed_out,__defaultVhost__/rtp/cam,30000,hook,11,"{""msg"":""a \\""quoted\\"", text""}"\r\n');
  });
  it("writes one JSON object per line", () => {
    expect(eventsToNdjson([ev, ev]).split("\n").filter(Boolean).map((l) => JSON.parse(l).id)).toEqual([7, 7]);
    expect(eventsToNdjson([])).toBe("");
  });
});

describe("searchMatcher", () => {
  const s = { key: "__defaultVhost__/rtp/34020000001320000001", ssrc: 200000001, port: 30000 } as PortSession;
  it("finds a stream id, an SSRC in decimal or hex, or a port", () => {
    expect(searchMatcher("1320000001")(s)).toBe(true);
    expect(searchMatcher("200000001")(s)).toBe(true);
    expect(searchMatcher("0x" + (200000001).toString(16))(s)).toBe(true);
    expect(searchMatcher("30000")(s)).toBe(true);
    expect(searchMatcher("30002")(s)).toBe(false);
  });
});
