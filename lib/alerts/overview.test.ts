import { describe, expect, it } from "vitest";
import { alertsOverview } from "./overview";
import { parseAlertsFile } from "./config-file";

describe("what /api/alerts shows", () => {
  it("names each channel's host but never its URL (a robot's URL is its key) or secret", () => {
    const cfg = parseAlertsFile(JSON.stringify({ channels: [{ id: "d", format: "dingtalk", url: "https://oapi.example/robot/send?access_token=KEY123", secret: "SECxyz" }], rules: [{ id: "r", on: "incident" }] }), "a.json");
    const view = alertsOverview(cfg, []);
    expect(view.channels).toEqual([{ id: "d", format: "dingtalk", host: "oapi.example" }]);
    expect(JSON.stringify(view)).not.toMatch(/KEY123|SECxyz|access_token/);
    expect(view.rules.map((r) => r.id)).toEqual(["r"]);
  });
});
