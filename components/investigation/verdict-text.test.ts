import { describe, expect, it } from "vitest";
import { diagnoseAlreadyExists, type DiagnosisInput } from "@/lib/diagnosis/already-exists";
import { resources } from "@/lib/i18n/resources";
import type { PortSession } from "@/lib/lifecycle/types";
import { parseVerdict, verdictVariant } from "./verdict-text";

const holder = (over: Partial<PortSession>): PortSession => ({ id: "n|k|1", nodeId: "n", key: "__defaultVhost__/rtp/s", port: 30000, tcpMode: 0, ssrc: 1, state: "waiting", openedBy: "tap", openedAt: 1_700_000_000_000, firstMediaAt: null, mediaStoppedAt: null, timedOutAt: null, closedAt: null, closedBy: null, releasedAt: null, releaseConfirmedBy: null, endCause: null, failure: null, timeouts: 0, lastEventId: 1, lastEventAt: 0, ...over });
const base: DiagnosisInput = { key: "__defaultVhost__/rtp/s", at: 1_700_000_010_000, code: -300, msg: "This stream already exists", requestedPort: null, holder: null, recent: [], timeoutSec: 15, buildTime: null };

describe("verdict text", () => {
  it("maps every verdict the diagnosis gives to its own translated title, whose English matches the server's", () => {
    const verdicts = [
      diagnoseAlreadyExists(base),
      diagnoseAlreadyExists({ ...base, holder: holder({}) }),
      diagnoseAlreadyExists({ ...base, holder: holder({ firstMediaAt: 1_700_000_001_000 }) }),
      diagnoseAlreadyExists({ ...base, code: -400, msg: "bind failed: address already in use", requestedPort: 30000 }),
      diagnoseAlreadyExists({ ...base, holder: holder({ openedAt: base.at - 200 }) }),
    ];
    const en = resources.en.translation.verdict;
    for (const v of verdicts) {
      const variant = verdictVariant(v);
      expect(en.title[variant], v.title).toBe(v.title);
      expect(resources.zh.translation.verdict.title[variant]).not.toBe(v.title);
    }
    expect(new Set(verdicts.map(verdictVariant)).size).toBe(verdicts.length);
  });
  it("reads a verdict out of an open_failed payload, and nothing out of other payloads", () => {
    expect(parseVerdict({ code: -300, verdict: { cause: "a", title: "T", fix: "F", evidence: { holderPort: 1 } } })).toEqual({ cause: "a", title: "T", fix: "F", evidence: { holderPort: 1 } });
    expect(parseVerdict({ code: -300 })).toBeNull();
  });
});
