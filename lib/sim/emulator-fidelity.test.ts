import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { startEmulator, type Emulator } from "./emulator";
import { zlmCall } from "../testing/zlm-call";

/**
 * Replays every recorded API call of shared/zlm-fixtures/api, in the recorded
 * order, against a fresh emulator over real HTTP and checks that the answer
 * has the same status, the same field names with the same JSON types, the same
 * Set-Cookie behaviour and, where the value is deterministic, the same bytes.
 */
const FIXTURES = path.resolve(__dirname, "../../../shared/zlm-fixtures/api");

interface Fixture {
  file: string;
  label: string;
  request: { method: string; path: string; query: Record<string, string>; body: string | null };
  response: { status: number; set_cookie: boolean; body_raw: string; json: unknown };
}

const fixtures: Fixture[] = fs
  .readdirSync(FIXTURES)
  .sort()
  .map((file) => ({ file, ...JSON.parse(fs.readFileSync(path.join(FIXTURES, file), "utf8")) }));

/** Field names and JSON types, recursively; arrays by the union of their items' shapes. */
export function shapeOf(v: unknown): unknown {
  if (v === null) return "null";
  if (Array.isArray(v)) return { array: [...new Set(v.map((x) => JSON.stringify(shapeOf(x))))].sort() };
  if (typeof v === "object") {
    return Object.fromEntries(Object.entries(v as object).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, shapeOf(x)]));
  }
  return typeof v;
}

/** Answers whose bytes do not depend on ports, cookies, times or counters. */
const BYTE_EXACT = /^(08|09|11|12|13|14|20|21|23|31|32|33|34|35|36|38|39|40|41|42|43|44|45|46|47|48|49|50|51|52|53|54|55)-/;

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ secret: "ref-secret", mediaServerId: "zlm-ref", timeoutSec: 60, portRange: [20000, 25000], seed: 7 });
});

afterAll(async () => {
  await emu?.stop();
});

describe("emulator answers like the recorded ZLM", () => {
  it.each(fixtures.map((f) => [f.file, f] as const))("%s", async (file, fx) => {
    const httpPort = String(emu.httpPort);
    // The recording used ZLM's own HTTP port 8080 as the busy TCP port; ours is random.
    const query = Object.fromEntries(Object.entries(fx.request.query).map(([k, v]) => [k, v === "8080" ? httpPort : v]));
    const expectedRaw = fx.response.body_raw.replaceAll("8080", httpPort);
    if (file.startsWith("55-")) {
      // The lab closed the servers it had left open before recording the final empty list.
      for (const id of ["t_tcp_passive", "t_tcp_active", "t_enable_tcp", "t_ssrc", "t_fixed", "t_big", "t_neg", "t_abc", "t_only_audio", "t_only_track2"]) {
        await zlmCall(emu.url, "closeRtpServer", { secret: "ref-secret", stream_id: id });
      }
    }
    const endpoint = fx.request.path.replace("/index/api/", "");
    const answer = await zlmCall(emu.url, endpoint, query, fx.request.body ? { method: fx.request.method, body: fx.request.body, contentType: "application/json" } : { method: fx.request.method });

    expect(answer.status).toBe(fx.response.status);
    expect("set-cookie" in answer.headers).toBe(fx.response.set_cookie);
    if (fx.response.json === null) {
      expect(answer.headers["content-type"]).toMatch(/^text\/html/);
      expect(answer.text).toContain("404 Not Found");
      expect(answer.text).toContain("您访问的资源不存在！");
      return;
    }
    expect(answer.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(shapeOf(answer.json)).toEqual(shapeOf(fx.response.json));
    if (BYTE_EXACT.test(file)) expect(answer.text).toBe(expectedRaw);
    else expect(answer.text.split("\n").map((l) => l.replace(/"[^"]*"|-?\d+(\.\d+)?/g, "V"))).toEqual(
      expectedRaw.split("\n").map((l) => l.replace(/"[^"]*"|-?\d+(\.\d+)?/g, "V")),
    );
  });

  it("reports the same 179 configuration keys, every value a string", async () => {
    const cfg = fixtures.find((f) => f.file.startsWith("04-"))!;
    const recorded = (cfg.response.json as { data: Record<string, string>[] }).data[0];
    const answer = await zlmCall(emu.url, "getServerConfig", { secret: "ref-secret" });
    const ours = (answer.json as { data: Record<string, unknown>[] }).data[0];
    expect(Object.keys(ours).sort()).toEqual(Object.keys(recorded).sort());
    expect(Object.values(ours).every((v) => typeof v === "string")).toBe(true);
    expect(ours["api.secret"]).toBe("ref-secret");
  });
});
