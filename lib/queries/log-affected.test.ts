import { describe, expect, it } from "vitest";
import { logAffected } from "./log-affected";
import type { PortscopeEvent } from "../events/types";

const ev = (over: Partial<PortscopeEvent>): PortscopeEvent => ({ id: 1, at: 1000, nodeId: "n1", kind: "rtp.opened", key: "v/rtp/a", port: 30000, source: "hook", payload: {}, ...over });

describe("logAffected", () => {
  it("matches a stream page's log only for its own key, node and port", () => {
    expect(logAffected({ key: "v/rtp/a" }, [ev({})])).toBe(true);
    expect(logAffected({ key: "v/rtp/b" }, [ev({})])).toBe(false);
    expect(logAffected({ node: "n1", port: 30000 }, [ev({ key: "v/rtp/z" })])).toBe(true);
    expect(logAffected({ node: "n1", port: 30002 }, [ev({})])).toBe(false);
    expect(logAffected({ node: "n2" }, [ev({}), ev({ nodeId: "n2" })])).toBe(true);
  });

  it("leaves a log that ends in the past alone", () => {
    expect(logAffected({ key: "v/rtp/a", to: 500 }, [ev({})])).toBe(false);
    expect(logAffected({}, [ev({})])).toBe(true);
  });
});
