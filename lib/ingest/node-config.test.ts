import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { nodeConfigFromServerConfig, parsePortRange } from "./node-config";

const fixture = path.resolve(__dirname, "../../../shared/zlm-fixtures/api/04-getserverconfig.json");

describe("nodeConfigFromServerConfig", () => {
  it("reads timeoutSec, port_range and hook settings from a real getServerConfig answer, with no secret", () => {
    const answer = JSON.parse(fs.readFileSync(fixture, "utf8")) as { response: { json: { data: Record<string, string>[] } } };
    const raw = answer.response.json.data[0];
    const summary = nodeConfigFromServerConfig(raw);
    expect(summary.timeoutSec).toBe(Number(raw["rtp_proxy.timeoutSec"]));
    expect(summary.portRange).toEqual(parsePortRange(raw["rtp_proxy.port_range"]));
    expect(summary.portRange).not.toBeNull();
    expect(summary.mediaServerId).toBe(raw["general.mediaServerId"]);
    expect(summary.hookEnabled).toBe(raw["hook.enable"] === "1");
    expect(JSON.stringify(summary)).not.toContain(raw["api.secret"]);
  });

  it("falls back to ZLM's default timeout when the value is missing or not a number", () => {
    expect(nodeConfigFromServerConfig({}).timeoutSec).toBe(15);
    expect(nodeConfigFromServerConfig({ "rtp_proxy.timeoutSec": "abc" }).timeoutSec).toBe(15);
  });

  it("masks tokens in hook URLs", () => {
    const s = nodeConfigFromServerConfig({ "hook.on_publish": "http://p:3001/api/hooks/on_publish?token=abc" });
    expect(s.hookUrls.on_publish).toBe("http://p:3001/api/hooks/on_publish?token=***");
  });
});

describe("parsePortRange", () => {
  it("parses ZLM's A-B form and rejects the rest", () => {
    expect(parsePortRange("30000-35000")).toEqual([30000, 35000]);
    expect(parsePortRange(" 1 - 2 ")).toEqual([1, 2]);
    expect(parsePortRange("35000-30000")).toBeNull();
    expect(parsePortRange("abc")).toBeNull();
    expect(parsePortRange(null)).toBeNull();
  });
});
