import { describe, expect, it } from "vitest";
import { globMatch, parseAlertsFile } from "./config-file";

const ok = { channels: [{ id: "noc", format: "wecom", url: "https://qyapi.example/cgi-bin/webhook/send?key=k" }], rules: [{ id: "r1", on: "incident", channels: ["noc"] }] };

describe("the alerts file", () => {
  it("parses a valid file with defaults", () => {
    const cfg = parseAlertsFile(JSON.stringify(ok), "a.json");
    expect(cfg.delivery).toMatchObject({ attempts: 6, baseDelayMs: 1000 });
    expect(cfg.rules[0]).toMatchObject({ node: "*", forSeconds: 0 });
  });
  it.each([
    ["not JSON", "{", /PORTSCOPE_ALERTS: a.json is not valid JSON/],
    ["an unknown format", JSON.stringify({ channels: [{ id: "x", format: "telegram", url: "http://h/" }] }), /channels\.0\.format: must be one of webhook, wecom, dingtalk, feishu, slack/],
    ["a rule without on", JSON.stringify({ rules: [{ id: "r" }] }), /rules\.0\.on: each rule needs "on"/],
    ["an unknown metric", JSON.stringify({ rules: [{ id: "r", on: "metric", metric: "cpu", threshold: 1 }] }), /rules\.0\.metric: must be one of/],
    ["an undefined channel", JSON.stringify({ rules: [{ id: "r", on: "incident", channels: ["nope"] }] }), /rule "r" names channel "nope", which is not defined/],
    ["a duplicate rule id", JSON.stringify({ rules: [{ id: "r", on: "incident" }, { id: "r", on: "incident" }] }), /rule id "r" appears twice/],
    ["a secret on slack", JSON.stringify({ channels: [{ id: "s", format: "slack", url: "https://h/", secret: "x" }] }), /signing secret is for dingtalk and feishu only/],
    ["an unknown field", JSON.stringify({ rulez: [] }), /Unrecognized key/i],
  ])("stops start-up naming the variable, file and field: %s", (_name, text, message) => {
    expect(() => parseAlertsFile(text, "a.json")).toThrow(message);
    try {
      parseAlertsFile(text, "a.json");
    } catch (err) {
      expect((err as Error).name).toBe("ConfigError");
      expect((err as Error).message).toMatch(/^PORTSCOPE_ALERTS: /);
    }
  });
  it("globs match whole values, * for any run", () => {
    expect(globMatch("zlm-*", "zlm-1")).toBe(true);
    expect(globMatch("zlm-*", "xzlm-1")).toBe(false);
    expect(globMatch("*/cam.1", "a/cam.1")).toBe(true);
    expect(globMatch("*/cam.1", "a/camx1")).toBe(false);
    expect(globMatch("*", null)).toBe(true);
    expect(globMatch("a*", null)).toBe(false);
  });
});
