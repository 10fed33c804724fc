import { describe, expect, it } from "vitest";
import { decideShield, zlmDropsAt, type Holder, type ShieldFacts } from "./race-shield";

const NOW = 1_000_000;
const waiting = (o: Partial<Holder> = {}): Holder => ({ port: 30010, tcp_mode: 0, ssrc: 200001, hasMedia: false, openedAt: NOW - 1000, ...o });
const facts = (o: Partial<ShieldFacts> = {}): ShieldFacts => ({
  cfg: { policy: "absorb", deadlineMs: 5000, idleMs: 5000 },
  request: { streamId: "34020000001320000001_34020000001320000001", tcp_mode: 0, ssrc: 200002, port: 0 },
  holder: waiting(),
  closeInFlight: false,
  zlmTimeoutMs: 5000,
  attempt: 1,
  elapsedMs: 0,
  now: NOW,
  random: 0.5,
  tried: { awaitRelease: false, update: false, replace: false },
  ...o,
});

describe("absorb: the policy for wvp-like platforms", () => {
  it("adopts a waiting holder whatever its SSRC and moves it to the caller's SSRC (new SSRC per play, double click)", () => {
    expect(decideShield(facts())).toEqual({ do: "adopt", port: 30010, updateSsrcTo: 200002, decision: "adopted the waiting holder, SSRC 200001 -> 200002" });
  });

  it("adopts without an update when the pool handed the same SSRC out again", () => {
    expect(decideShield(facts({ request: { ...facts().request, ssrc: 200001 } }))).toMatchObject({ do: "adopt", updateSsrcTo: null });
  });

  it("treats the caller's own close of the key as a sequence: waits for it instead of adopting the server being closed", () => {
    expect(decideShield(facts({ closeInFlight: true }))).toMatchObject({ do: "await-release" });
    // Once waited for, a holder still there is handled like any other.
    expect(decideShield(facts({ closeInFlight: true, tried: { awaitRelease: true, update: false, replace: false } }))).toMatchObject({ do: "adopt" });
  });

  it("never closes or alters a holder with live media, whatever the policy: ZLM's answer is passed on", () => {
    const live = waiting({ hasMedia: true, openedAt: NOW - 60_000, ssrc: 200002 });
    for (const policy of ["adopt", "takeover", "absorb"] as const) {
      for (const holder of [live, { ...live, tcp_mode: 1 }]) {
        expect(decideShield(facts({ cfg: { policy, deadlineMs: 5000, idleMs: 0 }, holder }))).toEqual({ do: "answer", decision: "kept: holder has live media" });
      }
    }
  });

  it("replaces a waiting holder ZLM is about to drop (the adopted server keeps its old timeout clock)", () => {
    // Opened 4.5 s ago, timeoutSec 5: ZLM drops it at the 6 s check, 1.5 s from now.
    const step = decideShield(facts({ holder: waiting({ openedAt: NOW - 4500 }) }));
    expect(step).toEqual({ do: "replace", decision: "replaced the waiting holder: ZLM drops it in 1500 ms, less than 3500 ms" });
    expect(zlmDropsAt(0, 15_000)).toBe(15_000);
    expect(zlmDropsAt(0, 5000)).toBe(6000);
  });

  it("replaces a waiting holder that cannot serve the request (other tcp_mode or fixed port), or whose SSRC update failed", () => {
    expect(decideShield(facts({ holder: waiting({ tcp_mode: 1 }) })).do).toBe("replace");
    expect(decideShield(facts({ request: { ...facts().request, port: 30200 } })).do).toBe("replace");
    expect(decideShield(facts({ tried: { awaitRelease: false, update: true, replace: false } })).do).toBe("replace");
    // Replaced once already: now only retries.
    expect(decideShield(facts({ tried: { awaitRelease: false, update: true, replace: true } })).do).toBe("retry");
  });

  it("leaves SSRC-named keys alone: a conflict there means another play holds the SSRC", () => {
    expect(decideShield(facts({ request: { streamId: "0200000A", tcp_mode: 0, ssrc: 0x0200000a, port: 0 } }))).toEqual({ do: "answer", decision: "kept: the key is named after an SSRC that another waiting play holds" });
  });

  it("retries while the holder is gone, until the deadline", () => {
    expect(decideShield(facts({ holder: null }))).toMatchObject({ do: "retry", decision: "holder gone" });
    expect(decideShield(facts({ holder: null, elapsedMs: 4990 }))).toEqual({ do: "answer", decision: "holder gone; gave up (deadline) after 1 attempt(s)" });
  });
});

describe("the earlier policies, as measured in issue 11", () => {
  it("adopt keeps a holder whose SSRC differs; takeover keeps a holder younger than idleMs; wait only retries", () => {
    expect(decideShield(facts({ cfg: { policy: "adopt", deadlineMs: 5000, idleMs: 5000 } }))).toEqual({ do: "answer", decision: "kept: holder differs from the request" });
    expect(decideShield(facts({ cfg: { policy: "takeover", deadlineMs: 5000, idleMs: 5000 } }))).toEqual({ do: "answer", decision: "kept: holder idle for 1000 ms, less than 5000 ms" });
    expect(decideShield(facts({ cfg: { policy: "takeover", deadlineMs: 5000, idleMs: 500 } })).do).toBe("replace");
    expect(decideShield(facts({ cfg: { policy: "wait", deadlineMs: 5000, idleMs: 0 }, holder: null })).do).toBe("retry");
    expect(decideShield(facts({ cfg: { policy: "off", deadlineMs: 5000, idleMs: 0 } }))).toEqual({ do: "answer", decision: "none" });
  });
});
