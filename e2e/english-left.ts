import type { Page } from "@playwright/test";

/**
 * What counts as untranslated UI text on a 简体中文 page: a visible text node,
 * placeholder, aria-label or title that still holds an English word (three or
 * more Latin letters) once the allowed terms are taken out. Data is not UI:
 * text inside `translate="no"` (the HTML attribute for "do not translate":
 * stream ids, node ids, raw JSON, ZLM's messages), <pre> and <code> is skipped.
 * Allowed everywhere: ZLM's own terms and API names, units, the product's name
 * and the language switch's "English" (docs/ui.md).
 */
const ALLOWED = [
  /\b[a-z0-9]+(?:_[a-z0-9]+)*(?:\.[a-z0-9]+(?:_[a-z0-9]+)*)+\b/g, // dotted ids: stream.registered, rtp_proxy.port_range, net.ipv4.ip_local_port_range
  /\b(?:Linux|Shift|Ctrl|Esc|Enter|Tab)\b/g, // proper names and key names
  /\b(?:ZLM|ZLMediaKit|RTP|RTCP|SSRC|SSE|INVITE|BYE|SIP|GB28181|Hook|hook|API|URL|UDP|TCP|JSON|CSV|NDJSON|UTC|GMT|Portscope|English|ID|IDs|vhost|app|rtp|demo(?:-\d+)?)\b/g,
  /\b[a-z]+(?:_[a-z0-9]+)+\b/g, // ZLM config keys, hooks and fields: tcp_mode, on_server_keepalive, port_range
  /\b[a-z]+(?:[A-Z][a-z0-9]+)+\b/g, // ZLM API names: listRtpServer, openRtpServer, pauseRtpCheck, timeoutSec
  /\b(?:[kKM]?B|[kM]?bit)\/s\b/g,
  /\b0x[0-9a-f]+\b/gi,
  /\b[A-Z][a-z]+\/[A-Za-z_]+\b/g, // zone names: Asia/Shanghai, Etc/UTC
  /__\w+__/g,
  /[“"]already exists[”"]/g, // ZLM's own error text, quoted
];

export interface EnglishLeft {
  text: string;
  where: string;
}

export async function englishLeft(page: Page): Promise<EnglishLeft[]> {
  const found = await page.evaluate(() => {
    const skip = (el: Element | null) => !!el?.closest('[translate="no"], pre, code, script, style, noscript, [aria-hidden="true"]');
    const visible = (el: Element) => (el as HTMLElement).checkVisibility?.({ checkOpacity: true, checkVisibilityCSS: true }) ?? true;
    const describe = (el: Element) => `${el.tagName.toLowerCase()}${el.getAttribute("data-testid") ? `[data-testid=${el.getAttribute("data-testid")}]` : ""}${el.className && typeof el.className === "string" ? `.${el.className.split(" ").slice(0, 2).join(".")}` : ""}`;
    const out: { text: string; where: string }[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const text = (n.textContent ?? "").trim();
      if (!el || !text || skip(el) || !visible(el)) continue;
      out.push({ text, where: describe(el) });
    }
    for (const el of document.querySelectorAll("[placeholder], [aria-label], [title]")) {
      if (skip(el) || !visible(el)) continue;
      for (const a of ["placeholder", "aria-label", "title"]) {
        const v = el.getAttribute(a);
        if (v) out.push({ text: v, where: `${describe(el)}@${a}` });
      }
    }
    return out;
  });
  return found.filter(({ text }) => /[A-Za-z]{3,}/.test(ALLOWED.reduce((t, re) => t.replace(re, " "), text)));
}
