import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { apiFixtures, hookFixtures, lastSegment, sequenceFiles } from "./fixtures";
import { answerSchemas, envelopeSchema, hookBodySchemas, HOOK_NAMES, unauthorizedSchema, type KnownEndpoint } from "./schemas";

/** Every answer and hook a real ZLM was recorded sending must parse. */
const isKnown = (e: string): e is KnownEndpoint => e in answerSchemas;
const isHook = (h: string): h is (typeof HOOK_NAMES)[number] => (HOOK_NAMES as readonly string[]).includes(h);

function expectAnswerParses(endpoint: string, json: unknown, where: string): void {
  const env = envelopeSchema.safeParse(json);
  expect(env.success, `${where}: envelope`).toBe(true);
  if (!env.success) return;
  if (env.data.code === -100) {
    expect(unauthorizedSchema.safeParse(json).success, `${where}: -100`).toBe(true);
    return;
  }
  if (env.data.code !== 0 || !isKnown(endpoint)) return;
  const r = answerSchemas[endpoint].safeParse(json);
  expect(r.success, `${where}: ${endpoint} ${r.success ? "" : JSON.stringify(r.error.issues.slice(0, 3))}`).toBe(true);
}

describe("API answer schemas", () => {
  const fixtures = apiFixtures();
  it("covers all recorded API fixtures", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(57);
  });
  for (const f of fixtures) {
    it(`parses ${f.file}`, () => {
      if (f.response.status === 404) {
        expect(f.response.body_raw).toMatch(/<html/i);
        return;
      }
      expectAnswerParses(lastSegment(f.request.path), f.response.json, f.file);
    });
  }

  it("reads an empty list whose data is omitted as no rows", () => {
    const empty = apiFixtures().find((f) => f.file.startsWith("09-"))!;
    const parsed = answerSchemas.listRtpServer.parse(empty.response.json);
    expect(parsed.data).toBeUndefined();
  });

  it("accepts a media source without a socket (originSock null)", () => {
    const row = { app: "rtp", stream: "s", schema: "hls", vhost: "__defaultVhost__", originSock: null, originType: 0 };
    expect(answerSchemas.getMediaList.safeParse({ code: 0, data: [row] }).success).toBe(true);
  });

  it("rejects an answer whose fields have the wrong types", () => {
    expect(answerSchemas.openRtpServer.safeParse({ code: 0, port: "30000" }).success).toBe(false);
    expect(answerSchemas.listRtpServer.safeParse({ code: 0, data: [{ port: 1 }] }).success).toBe(false);
    expect(answerSchemas.getServerConfig.safeParse({ code: 0, data: [{ "rtp_proxy.timeoutSec": 15 }] }).success).toBe(false);
  });
});

describe("hook body schemas", () => {
  for (const f of hookFixtures()) {
    it(`parses ${f.file}`, () => {
      const hook = lastSegment(f.path);
      expect(isHook(hook), `${hook} has a schema`).toBe(true);
      if (!isHook(hook)) return;
      const r = hookBodySchemas[hook].safeParse(f.json);
      expect(r.success, JSON.stringify(r.error?.issues.slice(0, 3))).toBe(true);
    });
  }

  it("rejects a timeout hook whose local_port is not a number", () => {
    const body = hookFixtures().find((f) => f.file === "on_rtp_server_timeout.json")!.json;
    expect(hookBodySchemas.on_rtp_server_timeout.safeParse({ ...body, local_port: "x" }).success).toBe(false);
  });
});

describe("sequence recordings", () => {
  for (const file of sequenceFiles()) {
    it(`parses every hook and answer in ${path.basename(file)}`, () => {
      const seq = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
      let checked = 0;
      const hooks = [...((seq.hooks as { path: string; body: Record<string, unknown> }[] | undefined) ?? [])];
      for (const k of ["first", "last"]) if (seq[k] && typeof seq[k] === "object") hooks.push(seq[k] as { path: string; body: Record<string, unknown> });
      for (const h of hooks) {
        const name = lastSegment(h.path);
        if (!isHook(name)) continue;
        const r = hookBodySchemas[name].safeParse(h.body);
        expect(r.success, `${name}: ${JSON.stringify(r.error?.issues.slice(0, 3))}`).toBe(true);
        checked++;
      }
      const calls = [...((seq.calls as { url: string; raw: string }[] | undefined) ?? []), ...((seq.captures as { url: string; raw: string }[] | undefined) ?? [])];
      for (const c of calls) {
        let json: unknown;
        try {
          json = JSON.parse(c.raw);
        } catch {
          continue; // HTML or empty bodies are covered by the api fixtures
        }
        expectAnswerParses(lastSegment(c.url), json, `${path.basename(file)} ${c.url}`);
        checked++;
      }
      const samples = [seq.runs, seq.error_samples, seq.sequential_samples];
      if (!hooks.length && !calls.length) expect(samples.some(Boolean)).toBe(true);
      else expect(checked).toBeGreaterThan(0);
    });
  }
});
