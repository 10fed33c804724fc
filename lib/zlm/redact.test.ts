import { describe, expect, it } from "vitest";
import { redactSecrets, redactSecretsInText } from "./redact";

describe("redactSecrets", () => {
  it("masks api.secret and secret-like keys at any depth, and secrets inside URLs", () => {
    const out = redactSecrets({
      "api.secret": "035c73f7-bb6b-4889-a715-d9eb2d1925cc",
      "hook.on_publish": "http://h/api/hooks/on_publish?token=abc&x=1",
      nested: { password: "p", keep: "value", list: [{ secret: 5 }] },
      mediaServerId: "zlm-1",
    });
    expect(out).toEqual({
      "api.secret": "***",
      "hook.on_publish": "http://h/api/hooks/on_publish?token=***&x=1",
      nested: { password: "***", keep: "value", list: [{ secret: "***" }] },
      mediaServerId: "zlm-1",
    });
  });

  it("leaves values without secrets untouched, without copying them", () => {
    const body = { app: "rtp", stream_id: "s1", local_port: 30000, regist: true, params: "a=1&b=2", tracks: [{ codec: "H264" }] };
    expect(redactSecrets(body)).toBe(body);
    expect(redactSecrets(body)).toEqual({ app: "rtp", stream_id: "s1", local_port: 30000, regist: true, params: "a=1&b=2", tracks: [{ codec: "H264" }] });
  });

  it("copies only the path to a masked value and never changes its input", () => {
    const shared = { codec: "H264" };
    const body = { keep: shared, list: [shared, { url: "rtsp://h/x?secret=abc" }], token: "t" };
    const out = redactSecrets(body);
    expect(out).toEqual({ keep: shared, list: [shared, { url: "rtsp://h/x?secret=***" }], token: "***" });
    expect(out.keep).toBe(shared);
    expect(body).toEqual({ keep: { codec: "H264" }, list: [{ codec: "H264" }, { url: "rtsp://h/x?secret=abc" }], token: "t" });
  });
});

describe("redactSecretsInText", () => {
  it("masks secret-like JSON pairs and URL parameters in text that may not even parse", () => {
    const text = '{"api.secret" : "035c73f7", "hook.on_play":"http://h/x?token=abc", "general.mediaServerId": "z", "broken';
    expect(redactSecretsInText(text)).toBe('{"api.secret" : "***", "hook.on_play":"http://h/x?token=***", "general.mediaServerId": "z", "broken');
  });
});
