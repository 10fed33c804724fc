import { describe, expect, it } from "vitest";
import { createHmac } from "node:crypto";
import { accepted, dingtalkSign, feishuSign, renderRequest } from "./formats";
import { retryDelayMs } from "./backoff";
import type { Notification } from "./types";

const n: Notification = { status: "firing", alertId: "r|x", ruleId: "r", ruleName: "Pool", severity: "critical", nodeId: "zlm-1", key: "__defaultVhost__/rtp/cam1", port: 30002, kind: "port_pool_high", detail: "pool nearly full", value: 0.9, incidentId: "x", startsAt: Date.UTC(2026, 0, 1), endsAt: null, sample: false, dashboardUrl: "https://portscope.example/" };

describe("message formats", () => {
  it("generic webhook: the notification as JSON, with the channel's headers", () => {
    const r = renderRequest("webhook", n, { url: "http://h/x", headers: { authorization: "Bearer t" } }, 0);
    expect(JSON.parse(r.body)).toMatchObject({ version: 1, source: "portscope", status: "firing", alertId: "r|x", key: n.key });
    expect(r.headers.authorization).toBe("Bearer t");
  });
  it("WeCom, DingTalk, Feishu and Slack bodies in each robot's own shape", () => {
    expect(JSON.parse(renderRequest("wecom", n, { url: "http://h/" }, 0).body)).toMatchObject({ msgtype: "markdown", markdown: { content: expect.stringContaining("[FIRING] critical: Pool on zlm-1") } });
    expect(JSON.parse(renderRequest("dingtalk", n, { url: "http://h/" }, 0).body)).toMatchObject({ msgtype: "markdown", markdown: { title: "[FIRING] critical: Pool on zlm-1", text: expect.stringContaining("port: 30002") } });
    expect(JSON.parse(renderRequest("feishu", n, { url: "http://h/" }, 0).body)).toEqual({ msg_type: "text", content: { text: expect.stringContaining("stream: __defaultVhost__/rtp/cam1") } });
    expect(JSON.parse(renderRequest("slack", { ...n, status: "resolved", endsAt: n.startsAt + 1000 }, { url: "http://h/" }, 0).body)).toMatchObject({ text: expect.stringContaining("[RESOLVED]"), blocks: [{ type: "section", text: { type: "mrkdwn", text: expect.stringContaining("<https://portscope.example/|Open Portscope>") } }] });
  });
  it("signs DingTalk in the URL and Feishu in the body as their docs define", () => {
    const ms = 1_700_000_000_000;
    const url = new URL(renderRequest("dingtalk", n, { url: "https://oapi.example/robot/send?access_token=t", secret: "SEC1" }, ms).url);
    expect(url.searchParams.get("access_token")).toBe("t");
    expect(url.searchParams.get("timestamp")).toBe(String(ms));
    expect(url.searchParams.get("sign")).toBe(createHmac("sha256", "SEC1").update(`${ms}\nSEC1`).digest("base64"));
    expect(dingtalkSign("SEC1", ms)).toBe(url.searchParams.get("sign"));
    const body = JSON.parse(renderRequest("feishu", n, { url: "https://open.example/hook/x", secret: "k" }, ms).body);
    expect(body.timestamp).toBe(String(ms / 1000));
    expect(body.sign).toBe(createHmac("sha256", `${ms / 1000}\nk`).update("").digest("base64"));
    expect(feishuSign("k", ms / 1000)).toBe(body.sign);
  });
  it("a robot's HTTP 200 with an error code is a failure; its success answer is not", () => {
    expect(accepted("wecom", 200, '{"errcode":0,"errmsg":"ok"}')).toEqual({ ok: true });
    expect(accepted("wecom", 200, '{"errcode":93000,"errmsg":"invalid webhook url"}')).toEqual({ ok: false, reason: "refused: code 93000 invalid webhook url" });
    expect(accepted("dingtalk", 200, '{"errcode":310000,"errmsg":"sign not match"}').ok).toBe(false);
    expect(accepted("feishu", 200, '{"code":0,"msg":"success"}')).toEqual({ ok: true });
    expect(accepted("feishu", 200, '{"StatusCode":0,"StatusMessage":"success"}')).toEqual({ ok: true });
    expect(accepted("feishu", 200, '{"code":19021,"msg":"sign match fail"}').ok).toBe(false);
    expect(accepted("slack", 200, "ok")).toEqual({ ok: true });
    expect(accepted("slack", 404, "no_service")).toEqual({ ok: false, reason: "HTTP 404" });
    expect(accepted("webhook", 500, "")).toEqual({ ok: false, reason: "HTTP 500" });
    expect(accepted("wecom", 200, "<html>")).toEqual({ ok: false, reason: "HTTP 200 with a body that is not JSON" });
  });
});

describe("retry delays", () => {
  const p = { baseDelayMs: 1000, maxDelayMs: 8000 };
  it("double each attempt within [step/2, step], capped at maxDelayMs", () => {
    expect([1, 2, 3, 4, 5].map((a) => retryDelayMs(a, p, () => 0))).toEqual([500, 1000, 2000, 4000, 4000]);
    expect([1, 2, 3, 4, 5].map((a) => retryDelayMs(a, p, () => 1))).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect(retryDelayMs(2, p, () => 0.5)).toBe(1500);
  });
});
