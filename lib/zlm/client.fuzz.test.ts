import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createZlmClient } from "./client";

/**
 * Property test of the ZLM answer parsers: whatever a node (or something
 * pretending to be one) answers, each client call returns a parsed value or
 * throws a ZlmError, never a TypeError, and no message carries the secret.
 */
const SECRET = "fuzz-zlm-secret-9c1";
const RUNS = 3000;

const answerText = fc.oneof(
  fc.string(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.record({ code: fc.oneof(fc.integer(), fc.string(), fc.constant(null)), msg: fc.oneof(fc.string(), fc.constant(SECRET), fc.constant(`bad secret=${SECRET}`)), data: fc.jsonValue() }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc.record({ code: fc.constant(0), data: fc.oneof(fc.array(fc.dictionary(fc.string(), fc.jsonValue())), fc.jsonValue()), port: fc.jsonValue(), hit: fc.jsonValue(), changed: fc.jsonValue() }, { requiredKeys: ["code"] }).map((v) => JSON.stringify(v)),
);

const CALLS = ["version", "getApiList", "getServerConfig", "getStatistic", "getThreadsLoad", "getMediaList", "listRtpServer", "getRtpInfo", "openRtpServer", "closeRtpServer", "pauseRtpCheck", "resumeRtpCheck", "closeStreams", "isMediaOnline", "setServerConfig"] as const;

describe("ZLM answer parsers under generated answers", () => {
  it("every call parses or throws a ZlmError without the secret", async () => {
    let ran = 0;
    let parsed = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CALLS), fc.constantFrom(200, 200, 200, 404, 500, 502), answerText, async (call, status, text) => {
        const client = createZlmClient({ id: "zlm-f", url: "http://127.0.0.1:1", secret: SECRET, fetchImpl: async () => new Response(text, { status }) });
        const key = { stream_id: "s1" };
        const run: Record<(typeof CALLS)[number], () => Promise<unknown>> = {
          version: () => client.version(),
          getApiList: () => client.getApiList(),
          getServerConfig: () => client.getServerConfig(),
          getStatistic: () => client.getStatistic(),
          getThreadsLoad: () => client.getThreadsLoad(),
          getMediaList: () => client.getMediaList(),
          listRtpServer: () => client.listRtpServer(),
          getRtpInfo: () => client.getRtpInfo(key),
          openRtpServer: () => client.openRtpServer({ ...key, port: 0, tcp_mode: 0 }),
          closeRtpServer: () => client.closeRtpServer(key),
          pauseRtpCheck: () => client.pauseRtpCheck(key),
          resumeRtpCheck: () => client.resumeRtpCheck(key),
          closeStreams: () => client.closeStreams({ stream: "s1" }),
          isMediaOnline: () => client.isMediaOnline({ schema: "rtsp", app: "rtp", stream: "s1" }),
          setServerConfig: () => client.setServerConfig({ "rtp_proxy.timeoutSec": "5" }),
        };
        ran++;
        try {
          await run[call]();
          parsed++;
        } catch (err) {
          expect(err).toBeInstanceOf(Error);
          expect((err as Error).name).toBe("ZlmError");
          expect((err as Error).message.includes(SECRET)).toBe(false);
          expect(String((err as { zlmMsg?: unknown }).zlmMsg ?? "").includes(SECRET)).toBe(false);
        }
      }),
      { numRuns: RUNS },
    );
    console.log(`fuzz (ZLM answer parsers): ${ran} generated answers, ${parsed} parsed, ${ran - parsed} refused as ZlmError`);
    expect(ran).toBe(RUNS);
  });
});
