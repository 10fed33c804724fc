import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import i18next from "i18next";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { resources } from "@/lib/i18n/resources";
import type { PortscopeEvent } from "@/lib/events/types";
import { VerdictList } from "./verdict-list";

const openedAt = Date.UTC(2026, 11, 1, 10, 7, 0, 125);
const failed: PortscopeEvent = {
  id: 42,
  at: openedAt + 2000,
  nodeId: "zlm-1",
  kind: "rtp.open_failed",
  key: "__defaultVhost__/rtp/34020000001320000001",
  port: null,
  source: "tap",
  payload: {
    code: -300,
    msg: "This stream already exists",
    verdict: { cause: "d", title: "Closed with another vhost/app: the server was never closed", fix: "Close with the exact vhost/app/stream_id that listRtpServer reports (__defaultVhost__/rtp/34020000001320000001).", evidence: { closedKey: "other/rtp/34020000001320000001", closeAt: openedAt, holderPort: 30042 } },
  },
};

async function render(lang: "en" | "zh", events: PortscopeEvent[]): Promise<string> {
  const i18n = i18next.createInstance();
  await i18n.use(initReactI18next).init({ resources, lng: lang, fallbackLng: "en", interpolation: { escapeValue: false } });
  return renderToStaticMarkup(createElement(I18nextProvider, { i18n }, createElement(VerdictList, { events, onShowEvent: () => undefined })));
}

describe("the 'already exists' verdict", () => {
  it("shows the cause, the evidence with times to the ms and the fix naming the exact key", async () => {
    const html = await render("en", [failed]);
    expect(html).toContain('data-cause="d"');
    expect(html).toContain("Closed with another vhost/app: the server was never closed");
    expect(html).toContain("closed key");
    expect(html).toContain("other/rtp/34020000001320000001");
    expect(html).toMatch(/\d{2}:\d{2}:\d{2}\.125/);
    expect(html).toContain("30042");
    expect(html).toContain("Close with the exact vhost/app/stream_id that listRtpServer reports (__defaultVhost__/rtp/34020000001320000001).");
  });
  it("reads in Chinese, ZLM's answer and terms left as they are", async () => {
    const html = await render("zh", [failed]);
    expect(html).toContain("用其他 vhost/app 关闭：服务器从未被关闭");
    expect(html).toContain("被关闭的键");
    expect(html).toContain("使用 listRtpServer 报告的准确 vhost/app/stream_id 关闭（__defaultVhost__/rtp/34020000001320000001）。");
    expect(html).toContain("This stream already exists");
    expect(html).not.toContain("Recommended fix");
  });
  it("says nothing when no open failed", async () => {
    expect(await render("en", [{ ...failed, kind: "rtp.opened", payload: {} }])).toBe("");
  });
});
