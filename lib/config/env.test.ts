import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./env";

const noFile = (p: string): string => {
  throw new Error(`ENOENT: ${p}`);
};

function errorOf(env: Record<string, string>, readFile = noFile): ConfigError {
  try {
    parseConfig(env, readFile);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("parseConfig", () => {
  it("is demo mode with defaults when no ZLM is configured", () => {
    const c = parseConfig({}, noFile);
    expect(c.nodes).toEqual({ mode: "demo", cameras: 12, timeoutSec: 15, nodes: 2, portRange: [30000, 35000], scenario: "story", stageEverySec: 120 });
    expect(c).toMatchObject({ port: 3000, dbPath: "./data/portscope.db", dbSync: "normal", dbWriter: "auto", retentionDays: 7, pollIntervalMs: 2000, zlmPort: 3001, zlmHost: "0.0.0.0", hookToken: null, hookAllowSources: null });
  });

  it("chooses the race shield with one setting, absorb (for wvp-like platforms) included, and names the variable on a typo", () => {
    const c = parseConfig({ ZLM_URL: "http://127.0.0.1:8080", ZLM_SECRET: "s", ZLM_RACE_SHIELD: "absorb" }, noFile);
    expect(c.nodes.mode === "single" && c.nodes.nodes[0].raceShield).toEqual({ policy: "absorb", deadlineMs: 5000, idleMs: 5000 });
    expect(errorOf({ ZLM_URL: "http://127.0.0.1:8080", ZLM_SECRET: "s", ZLM_RACE_SHIELD: "absorbe" }).message).toMatch(/^ZLM_RACE_SHIELD: must be .*"absorb"/);
    const file = JSON.stringify([{ id: "a", url: "http://127.0.0.1:8080", secret: "s", raceShield: { policy: "absorb", minLifeMs: 2000 } }]);
    const f = parseConfig({ PORTSCOPE_NODES: "/n.json" }, () => file);
    expect(f.nodes.mode === "file" && f.nodes.nodes[0].raceShield).toEqual({ policy: "absorb", deadlineMs: 5000, idleMs: 5000, minLifeMs: 2000 });
  });

  it("keeps the log in SQLite unless DATABASE_URL names a PostgreSQL, and names the variable when it is not one", () => {
    expect(parseConfig({}, noFile).databaseUrl).toBeNull();
    expect(parseConfig({ DATABASE_URL: "postgres://portscope:pw@db.internal:5432/portscope" }, noFile).databaseUrl).toBe("postgres://portscope:pw@db.internal:5432/portscope");
    expect(parseConfig({ DATABASE_URL: "postgresql://db/portscope" }, noFile).databaseUrl).toBe("postgresql://db/portscope");
    expect(errorOf({ DATABASE_URL: "mysql://db/portscope" }).message).toMatch(/^DATABASE_URL: must be a postgres:\/\/ URL/);
    expect(errorOf({ DATABASE_URL: "not a url" }).message).toMatch(/^DATABASE_URL: /);
  });

  it("reads one node from ZLM_URL and ZLM_SECRET", () => {
    const c = parseConfig({ ZLM_URL: "http://127.0.0.1:8080", ZLM_SECRET: "s3cret", ZLM_NODE_ID: "edge-7", ZLM_LABEL: "Edge 7", PORT: "4000" }, noFile);
    expect(c.port).toBe(4000);
    expect(c.nodes).toEqual({ mode: "single", nodes: [{ id: "edge-7", url: "http://127.0.0.1:8080", secret: "s3cret", label: "Edge 7", mediaServerId: undefined, upstreamHooks: undefined }] });
  });

  it("defaults the node id to zlm-1 and reads an upstream hook server", () => {
    const c = parseConfig({ ZLM_URL: "http://zlm:80", ZLM_SECRET: "s", ZLM_UPSTREAM_HOOK_URL: "http://wvp:18080/index/hook", ZLM_UPSTREAM_BUDGET_MS: "1500" }, noFile);
    if (c.nodes.mode === "demo") throw new Error("not demo");
    expect(c.nodes.nodes[0].id).toBe("zlm-1");
    expect(c.nodes.nodes[0].upstreamHooks).toEqual({ url: "http://wvp:18080/index/hook", budgetMs: 1500, fallback: { code: 0, msg: "success" } });
  });

  it("reads many nodes from the PORTSCOPE_NODES file", () => {
    const file = JSON.stringify([
      { id: "a", url: "http://10.0.0.1:8080", secret: "x" },
      { id: "b", url: "https://10.0.0.2", secret: "y", label: "B", upstreamHooks: { url: "http://wvp/index/hook" } },
    ]);
    const c = parseConfig({ PORTSCOPE_NODES: "/etc/nodes.json" }, (p) => (p === "/etc/nodes.json" ? file : noFile(p)));
    if (c.nodes.mode === "demo") throw new Error("not demo");
    expect(c.nodes.mode).toBe("file");
    expect(c.nodes.nodes.map((n) => n.id)).toEqual(["a", "b"]);
    expect(c.nodes.nodes[1].upstreamHooks).toEqual({ url: "http://wvp/index/hook", budgetMs: 3000, fallback: { code: 0, msg: "success" } });
  });

  const bad: [string, Record<string, string>, RegExp, ((p: string) => string)?][] = [
    ["URL without secret", { ZLM_URL: "http://x:1" }, /^ZLM_SECRET: required/],
    ["secret without URL", { ZLM_SECRET: "s" }, /^ZLM_URL: required/],
    ["URL not http", { ZLM_URL: "ftp://x", ZLM_SECRET: "s" }, /^ZLM_URL: must be an http\(s\) URL/],
    ["URL garbage", { ZLM_URL: "not a url", ZLM_SECRET: "s" }, /^ZLM_URL: /],
    ["bad node id", { ZLM_URL: "http://x:1", ZLM_SECRET: "s", ZLM_NODE_ID: "a b" }, /^ZLM_NODE_ID: /],
    ["both modes", { ZLM_URL: "http://x:1", ZLM_SECRET: "s", PORTSCOPE_NODES: "/n.json" }, /^PORTSCOPE_NODES: set either/],
    ["unreadable file", { PORTSCOPE_NODES: "/missing.json" }, /^PORTSCOPE_NODES: cannot read \/missing.json/],
    ["file not JSON", { PORTSCOPE_NODES: "/n.json" }, /^PORTSCOPE_NODES: \/n.json is not valid JSON/, () => "{"],
    ["empty node list", { PORTSCOPE_NODES: "/n.json" }, /^PORTSCOPE_NODES: must list at least one node/, () => "[]"],
    ["node missing secret", { PORTSCOPE_NODES: "/n.json" }, /^PORTSCOPE_NODES: 0\.secret: /, () => '[{"id":"a","url":"http://x"}]'],
    ["duplicate ids", { PORTSCOPE_NODES: "/n.json" }, /^PORTSCOPE_NODES: node id "a" appears twice/, () => '[{"id":"a","url":"http://x","secret":"s"},{"id":"a","url":"http://y","secret":"s"}]'],
    ["PORT not a number", { PORT: "abc" }, /^PORT: must be a number/],
    ["PORT out of range", { PORT: "70000" }, /^PORT: must be at most 65535/],
    ["demo cameras negative", { PORTSCOPE_DEMO_CAMERAS: "-1" }, /^PORTSCOPE_DEMO_CAMERAS: must be at least 0/],
    ["demo timeout zero", { PORTSCOPE_DEMO_TIMEOUT_SEC: "0" }, /^PORTSCOPE_DEMO_TIMEOUT_SEC: must be at least 1/],
    ["demo nodes too many", { PORTSCOPE_DEMO_NODES: "9" }, /^PORTSCOPE_DEMO_NODES: must be at most 8/],
    ["demo scenario unknown", { PORTSCOPE_DEMO_SCENARIO: "chaos" }, /^PORTSCOPE_DEMO_SCENARIO: must be "story" or "flood"/],
    ["demo port range garbled", { PORTSCOPE_DEMO_PORT_RANGE: "30000:31000" }, /^PORTSCOPE_DEMO_PORT_RANGE: must look like/],
    ["demo port range too narrow", { PORTSCOPE_DEMO_PORT_RANGE: "30000-30005" }, /^PORTSCOPE_DEMO_PORT_RANGE: must lie within/],
    ["poll interval too small", { PORTSCOPE_POLL_INTERVAL_MS: "5" }, /^PORTSCOPE_POLL_INTERVAL_MS: must be at least 100/],
    ["short hook token", { PORTSCOPE_HOOK_TOKEN: "abc" }, /^PORTSCOPE_HOOK_TOKEN: must be 8-200/],
    ["allow-list not IPs", { PORTSCOPE_HOOK_ALLOW: "127.0.0.1,example.com" }, /^PORTSCOPE_HOOK_ALLOW: "example.com" is not an IP address/],
    ["a short metrics token", { PORTSCOPE_METRICS_TOKEN: "short" }, /^PORTSCOPE_METRICS_TOKEN: must be 16-200 token characters/],
    ["a metrics allow-list of names", { PORTSCOPE_METRICS_ALLOW: "10.0.0.1, prom.example" }, /^PORTSCOPE_METRICS_ALLOW: "prom.example" is not an IP address/],
    ["unknown sync mode", { PORTSCOPE_DB_SYNC: "off" }, /^PORTSCOPE_DB_SYNC: must be "normal" or "full"/],
    ["unknown writer", { PORTSCOPE_DB_WRITER: "fork" }, /^PORTSCOPE_DB_WRITER: must be "auto", "thread" or "inline"/],
    ["zlm port garbage", { PORTSCOPE_ZLM_PORT: "x" }, /^PORTSCOPE_ZLM_PORT: must be a number/],
    ["tap port garbage", { ZLM_URL: "http://x:1", ZLM_SECRET: "s", ZLM_TAP_PORT: "eighty" }, /^ZLM_TAP_PORT: must be a number/],
    ["tap port out of range", { ZLM_URL: "http://x:1", ZLM_SECRET: "s", ZLM_TAP_PORT: "65536" }, /^ZLM_TAP_PORT: must be at most 65535/],
    ["tap port on the hook listener's", { ZLM_URL: "http://x:1", ZLM_SECRET: "s", ZLM_TAP_PORT: "3001" }, /^ZLM_TAP_PORT: tap port 3001 of node "zlm-1" is already used by PORTSCOPE_ZLM_PORT/],
    ["tap port on the dashboard's", { ZLM_URL: "http://x:1", ZLM_SECRET: "s", ZLM_TAP_PORT: "4000", PORT: "4000" }, /^ZLM_TAP_PORT: tap port 4000 of node "zlm-1" is already used by PORT/],
    ["tap port not a number in the file", { PORTSCOPE_NODES: "/n.json" }, /^PORTSCOPE_NODES: 0\.tapPort: must be a number/, () => '[{"id":"a","url":"http://x","secret":"s","tapPort":"8080"}]'],
    ["tap port zero in the file", { PORTSCOPE_NODES: "/n.json" }, /^PORTSCOPE_NODES: 0\.tapPort: must be at least 1/, () => '[{"id":"a","url":"http://x","secret":"s","tapPort":0}]'],
    ["two nodes on one tap port", { PORTSCOPE_NODES: "/n.json" }, /^PORTSCOPE_NODES: tap port 8080 of node "b" is already used by node "a"/, () => '[{"id":"a","url":"http://x","secret":"s","tapPort":8080},{"id":"b","url":"http://y","secret":"s","tapPort":8080}]'],
  ];
  for (const [name, env, message, readFile] of bad) {
    it(`refuses ${name}, naming the variable`, () => {
      expect(errorOf(env, readFile).message).toMatch(message);
    });
  }

  it("reads a node's own tap port from ZLM_TAP_PORT or the node file", () => {
    const single = parseConfig({ ZLM_URL: "http://x:1", ZLM_SECRET: "s", ZLM_TAP_PORT: "8080" }, noFile);
    if (single.nodes.mode === "demo") throw new Error("not demo");
    expect(single.nodes.nodes[0].tapPort).toBe(8080);
    const file = parseConfig({ PORTSCOPE_NODES: "/n.json", PORTSCOPE_ZLM_PORT: "off" }, () => '[{"id":"a","url":"http://x","secret":"s","tapPort":3001},{"id":"b","url":"http://y","secret":"s"}]');
    if (file.nodes.mode === "demo") throw new Error("not demo");
    expect(file.nodes.nodes.map((n) => n.tapPort)).toEqual([3001, undefined]);
  });

  it("reads who may scrape /metrics and the alerts file's path", () => {
    expect(parseConfig({}, noFile)).toMatchObject({ metrics: { token: null, allow: null }, alertsPath: null });
    expect(parseConfig({ PORTSCOPE_METRICS_TOKEN: "abcdefghijklmnop+/=", PORTSCOPE_METRICS_ALLOW: "10.0.0.1, ::1", PORTSCOPE_ALERTS: "/etc/portscope/alerts.json" }, noFile)).toMatchObject({ metrics: { token: "abcdefghijklmnop+/=", allow: ["10.0.0.1", "::1"] }, alertsPath: "/etc/portscope/alerts.json" });
  });

  it("turns the ZLM-facing listener off with PORTSCOPE_ZLM_PORT=off", () => {
    expect(parseConfig({ PORTSCOPE_ZLM_PORT: "off" }, noFile).zlmPort).toBeNull();
  });
});
