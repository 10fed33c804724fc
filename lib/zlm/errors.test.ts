import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { apiFixtures, FIXTURES_DIR } from "./fixtures";
import { classifyZlmAnswer, describeZlmError, isAlreadyExists, isUncertainCloseOutcome, type ZlmErrorKind } from "./errors";

/** Every recorded error answer, and what Portscope must make of it. A new error fixture fails until it is listed. */
const EXPECTED: Record<string, ZlmErrorKind> = {
  "01-version-wrong-secret.json": "permanent",
  "02-version-no-secret.json": "permanent",
  "11-openrtpserver-duplicate-stream-id.json": "conflict",
  "12-openrtpserver-duplicate-stream-id-post-json.json": "conflict",
  "13-openrtpserver-missing-stream-id.json": "permanent",
  "14-openrtpserver-missing-port.json": "permanent",
  "20-openrtpserver-fixed-port-already-in-use-30600-other-stream.json": "transient",
  "21-openrtpserver-re-use-port-1-on-30600-other-stream.json": "transient",
  "25-openrtpserver-tcp-mode-1-on-port-already-used-by-http-8080.json": "transient",
  "33-getrtpinfo-missing-stream-id.json": "permanent",
  "35-updatertpserverssrc-not-found.json": "permanent",
  "36-updatertpserverssrc-missing-ssrc.json": "permanent",
  "38-pausertpcheck-server-open-no-stream.json": "permanent",
  "39-pausertpcheck-unknown.json": "permanent",
  "40-resumertpcheck-unknown.json": "permanent",
  "41-pausertpcheck-missing-stream-id.json": "permanent",
  "42-connectrtpserver-unknown-stream.json": "permanent",
  "43-connectrtpserver-on-udp-mode-server.json": "permanent",
  "48-getmediainfo-missing.json": "permanent",
  "52-closertpserver-missing-stream-id.json": "permanent",
  "56-unknown-api-path.json": "permanent",
};

function factsOf(f: ReturnType<typeof apiFixtures>[number]) {
  const json = f.response.json as { code?: number; msg?: string } | null;
  const parsedJson = json && typeof json === "object" && typeof json.code === "number";
  return { code: parsedJson ? json.code! : null, msg: parsedJson ? json.msg ?? null : null, httpStatus: f.response.status };
}

describe("classifyZlmAnswer on every recorded error", () => {
  const errors = apiFixtures().filter((f) => {
    const facts = factsOf(f);
    return facts.httpStatus !== 200 || facts.code !== 0;
  });

  it("has an expectation for each error fixture and no stale ones", () => {
    expect(errors.map((f) => f.file).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const f of errors) {
    it(`${f.file} -> ${EXPECTED[f.file]}`, () => {
      expect(classifyZlmAnswer(factsOf(f))).toBe(EXPECTED[f.file]);
    });
  }
});

describe("conflicts seen in the race recordings", () => {
  for (const name of ["race_concurrent_2.json", "race_concurrent_4.json"]) {
    it(`every error sample of ${name} is a conflict`, () => {
      const seq = JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, "sequences", name), "utf8")) as { error_samples: Record<string, string> };
      const samples = Object.values(seq.error_samples).map((raw) => JSON.parse(raw) as { code: number; msg: string });
      expect(samples.map((s) => s.code).sort((a, b) => a - b)).toEqual([-400, -300]);
      for (const s of samples) expect(classifyZlmAnswer({ code: s.code, msg: s.msg, httpStatus: 200 })).toBe("conflict");
    });
  }

  it("the older Chinese text is the same conflict", () => {
    expect(isAlreadyExists(-300, "该stream_id已存在")).toBe(true);
    expect(classifyZlmAnswer({ code: -300, msg: "该stream_id已存在", httpStatus: 200 })).toBe("conflict");
  });
});

describe("classifyZlmAnswer beyond the fixtures", () => {
  const cases: [string, Parameters<typeof classifyZlmAnswer>[0], ZlmErrorKind][] = [
    ["pool exhausted", { code: -400, msg: "none reserved port in pool", httpStatus: 200 }, "permanent"],
    ["multiplex bind", { code: -400, msg: "Bind udp socket on 0.0.0.0 30000 failed: address already in use", httpStatus: 200 }, "transient"],
    // Seen on a real fdaec26 build whose port_range overlapped the ephemeral range (docs/real-zlm-check.md).
    ["pool pair's TCP port busy", { code: -400, msg: "listen tcp socket[0] failed", httpStatus: 200 }, "transient"],
    ["pool pair's RTCP port busy", { code: -400, msg: "open udp socket[1] failed", httpStatus: 200 }, "transient"],
    ["async socket refusal", { code: -1, msg: "connection refused", httpStatus: 200 }, "transient"],
    ["close failed", { code: -1, msg: "close failed", httpStatus: 200 }, "permanent"],
    ["other -400 exception", { code: -400, msg: "std::bad_alloc", httpStatus: 200 }, "permanent"],
    ["HTTP 500", { code: null, msg: null, httpStatus: 500 }, "transient"],
    ["HTTP 503", { code: null, msg: null, httpStatus: 503 }, "transient"],
    ["HTTP 404", { code: null, msg: null, httpStatus: 404 }, "permanent"],
    ["unparsable 200", { code: null, msg: null, httpStatus: 200 }, "permanent"],
    ["refused", { code: null, msg: null, httpStatus: null, networkError: "ECONNREFUSED" }, "transient"],
    ["reset", { code: null, msg: null, httpStatus: null, networkError: "ECONNRESET" }, "transient"],
    ["timeout", { code: null, msg: null, httpStatus: null, networkError: "timed out after 200 ms" }, "transient"],
    ["other -300", { code: -300, msg: "some other invalid argument", httpStatus: 200 }, "permanent"],
  ];
  for (const [name, facts, kind] of cases) {
    it(`${name} -> ${kind}`, () => expect(classifyZlmAnswer(facts)).toBe(kind));
  }
});

describe("helpers", () => {
  it("recognises close_streams' -400 after a real close as uncertain", () => {
    expect(isUncertainCloseOutcome("close_streams", -400, "mediakit::RtspMediaSource::getOwnerPoller failed: rtsp://__defaultVhost__/rtp/s")).toBe(true);
    expect(isUncertainCloseOutcome("closeRtpServer", -400, "getOwnerPoller failed")).toBe(false);
  });
  it("describes an error with node, endpoint, code, message and advice", () => {
    const text = describeZlmError({ nodeId: "zlm-1", endpoint: "openRtpServer", code: -300, zlmMsg: "This stream already exists", kind: "conflict", httpStatus: 200 });
    expect(text).toBe('openRtpServer on zlm-1: code -300 "This stream already exists" (conflict; the key is still held: confirm release before reopening)');
  });
});
