import { describe, expect, it } from "vitest";
import type { Holder } from "./race-shield";
import { runShield, type OpenAttempt, type ShieldIo } from "./shield-run";

const conflict: OpenAttempt = { status: 200, text: '{"code":-300,"msg":"This stream already exists"}', code: -300, conflict: true };
const opened = (port: number): OpenAttempt => ({ status: 200, text: `{"code":0,"port":${port}}`, code: 0, conflict: false });
const request = { streamId: "cam_1", tcp_mode: 0, ssrc: 7, port: 0 };

/** A scripted ZLM: one key, its holder, and a log of what the shield did to it. */
function fakeIo(state: { holder: Holder | null; closeInFlight?: boolean; updateFails?: boolean }) {
  const did: string[] = [];
  let clock = 0;
  const io: ShieldIo = {
    open: async () => {
      did.push("open");
      return state.holder ? conflict : opened(30100);
    },
    holder: async () => (state.holder ? { ...state.holder } : null),
    updateSsrc: async (ssrc) => {
      did.push(`update ${ssrc}`);
      if (state.updateFails || !state.holder) return false;
      state.holder.ssrc = ssrc;
      return true;
    },
    close: async () => {
      did.push("close");
      state.holder = null;
      return true;
    },
    waitForRelease: async () => {
      did.push("wait-release");
      state.holder = null; // the caller's own close lands meanwhile
      state.closeInFlight = false;
      return true;
    },
    closeInFlight: () => state.closeInFlight ?? false,
    zlmTimeoutMs: async () => 15_000,
    sleep: async (ms) => void (clock += ms),
    now: () => clock,
    random: () => 0.5,
  };
  return { io, did };
}

describe("runShield", () => {
  it("absorb: moves a waiting holder to the caller's SSRC and answers its port in ZLM's layout", async () => {
    const state = { holder: { port: 30010, tcp_mode: 0, ssrc: 5, hasMedia: false, openedAt: 0 } };
    const { io, did } = fakeIo(state);
    const out = await runShield(conflict, request, { policy: "absorb", deadlineMs: 5000, idleMs: 0 }, io);
    expect(did).toEqual(["update 7"]);
    expect(state.holder.ssrc).toBe(7);
    expect(out.text).toBe('{\n\t"code" : 0,\n\t"port" : 30010\n}\n');
    expect(out.closed).toEqual([]);
  });

  it("absorb: a failed SSRC update falls back to replacing the waiting holder, and records what it closed", async () => {
    const { io, did } = fakeIo({ holder: { port: 30010, tcp_mode: 0, ssrc: 5, hasMedia: false, openedAt: 0 }, updateFails: true });
    const out = await runShield(conflict, request, { policy: "absorb", deadlineMs: 5000, idleMs: 0 }, io);
    expect(did).toEqual(["update 7", "close", "wait-release", "open"]);
    expect(JSON.parse(out.text)).toEqual({ code: 0, port: 30100 });
    expect(out.closed).toEqual([{ port: 30010, hasMedia: false }]);
    expect(out.decision).toBe("replaced the waiting holder: its SSRC could not be moved");
  });

  it("absorb: the caller's own close in flight is waited for, then the open goes to ZLM again", async () => {
    const { io, did } = fakeIo({ holder: { port: 30010, tcp_mode: 0, ssrc: 5, hasMedia: false, openedAt: 0 }, closeInFlight: true });
    const out = await runShield(conflict, request, { policy: "absorb", deadlineMs: 5000, idleMs: 0 }, io);
    expect(did).toEqual(["wait-release", "open"]);
    expect(JSON.parse(out.text)).toEqual({ code: 0, port: 30100 });
  });

  it("never closes or updates a live holder", async () => {
    for (const policy of ["adopt", "takeover", "absorb"] as const) {
      const { io, did } = fakeIo({ holder: { port: 30010, tcp_mode: 1, ssrc: 5, hasMedia: true, openedAt: -60_000 } });
      const out = await runShield(conflict, request, { policy, deadlineMs: 5000, idleMs: 0 }, io);
      expect(did).toEqual([]);
      expect(out.text).toBe(conflict.text);
    }
  });

  it("wait: gives ZLM's own answer back once the deadline passes", async () => {
    const { io, did } = fakeIo({ holder: { port: 30010, tcp_mode: 0, ssrc: 5, hasMedia: false, openedAt: 0 } });
    const out = await runShield(conflict, request, { policy: "wait", deadlineMs: 2000, idleMs: 0 }, io);
    expect(out.text).toBe(conflict.text);
    expect(did.every((d) => d === "open")).toBe(true);
    expect(out.decision).toMatch(/^waited; gave up \(deadline\) after \d+ attempt\(s\)$/);
  });
});
