/**
 * One notification in each receiver's own message format, and each
 * receiver's own way of saying it took the message (the chat robots answer
 * HTTP 200 with an error code in the body when they refuse one). Pure: the
 * clock for DingTalk/Feishu signatures is passed in.
 */
import { createHmac } from "node:crypto";
import type { Notification } from "./types";

export type NotifyFormat = "webhook" | "wecom" | "dingtalk" | "feishu" | "slack";

export interface OutboundRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export function renderRequest(format: NotifyFormat, n: Notification, channel: { url: string; secret?: string; headers?: Record<string, string> }, now: number): OutboundRequest {
  const headers = { "content-type": "application/json; charset=utf-8" };
  switch (format) {
    case "webhook":
      return { url: channel.url, headers: { ...headers, ...(channel.headers ?? {}) }, body: JSON.stringify({ version: 1, source: "portscope", ...n }) };
    case "wecom":
      return { url: channel.url, headers, body: JSON.stringify({ msgtype: "markdown", markdown: { content: markdown(n, "wecom") } }) };
    case "dingtalk": {
      const url = channel.secret ? withQuery(channel.url, { timestamp: String(now), sign: dingtalkSign(channel.secret, now) }) : channel.url;
      return { url, headers, body: JSON.stringify({ msgtype: "markdown", markdown: { title: title(n), text: markdown(n, "dingtalk") } }) };
    }
    case "feishu": {
      const seconds = Math.floor(now / 1000);
      const signed = channel.secret ? { timestamp: String(seconds), sign: feishuSign(channel.secret, seconds) } : {};
      return { url: channel.url, headers, body: JSON.stringify({ ...signed, msg_type: "text", content: { text: plain(n) } }) };
    }
    case "slack":
      return { url: channel.url, headers, body: JSON.stringify({ text: plain(n), blocks: [{ type: "section", text: { type: "mrkdwn", text: markdown(n, "slack") } }] }) };
  }
}

/** Did the receiver take it? WeCom and DingTalk: errcode 0; Feishu: code 0 (or StatusCode 0, older robots); others: any 2xx. */
export function accepted(format: NotifyFormat, status: number, body: string): { ok: true } | { ok: false; reason: string } {
  if (status < 200 || status > 299) return { ok: false, reason: `HTTP ${status}` };
  if (format === "webhook" || format === "slack") return { ok: true };
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: `HTTP ${status} with a body that is not JSON` };
  }
  const code = format === "feishu" ? (json.code ?? json.StatusCode) : json.errcode;
  if (code === 0) return { ok: true };
  const msg = format === "feishu" ? (json.msg ?? json.StatusMessage) : json.errmsg;
  return { ok: false, reason: `refused: code ${String(code)} ${typeof msg === "string" ? msg.slice(0, 200) : ""}`.trim() };
}

/** DingTalk robot signature: base64(HMAC-SHA256(secret, "<ms>\n<secret>")), URL-encoded by withQuery. */
export function dingtalkSign(secret: string, ms: number): string {
  return createHmac("sha256", secret).update(`${ms}\n${secret}`).digest("base64");
}

/** Feishu robot signature: base64(HMAC-SHA256(key "<seconds>\n<secret>", empty message)). */
export function feishuSign(secret: string, seconds: number): string {
  return createHmac("sha256", `${seconds}\n${secret}`).update("").digest("base64");
}

function withQuery(url: string, q: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(q)) u.searchParams.set(k, v);
  return u.toString();
}

function title(n: Notification): string {
  const what = n.status === "firing" ? "FIRING" : "RESOLVED";
  return `${n.sample ? "[TEST] " : ""}[${what}] ${n.severity}: ${n.ruleName ?? n.ruleId} on ${n.nodeId}`;
}

function facts(n: Notification): string[] {
  const out = [`kind: ${n.kind}`, `node: ${n.nodeId}`];
  if (n.key) out.push(`stream: ${n.key}`);
  if (n.port !== null) out.push(`port: ${n.port}`);
  out.push(`since: ${new Date(n.startsAt).toISOString()}`);
  if (n.endsAt !== null) out.push(`resolved: ${new Date(n.endsAt).toISOString()}`);
  return out;
}

function plain(n: Notification): string {
  return [title(n), n.detail, ...facts(n), ...(n.dashboardUrl ? [n.dashboardUrl] : [])].join("\n");
}

function markdown(n: Notification, flavour: "wecom" | "dingtalk" | "slack"): string {
  const bold = (s: string) => (flavour === "slack" ? `*${s}*` : `**${s}**`);
  const head = flavour === "wecom" ? `<font color="${n.status === "resolved" ? "info" : n.severity === "critical" ? "warning" : "comment"}">${title(n)}</font>` : bold(title(n));
  const link = n.dashboardUrl ? [flavour === "slack" ? `<${n.dashboardUrl}|Open Portscope>` : `[Open Portscope](${n.dashboardUrl})`] : [];
  return [head, n.detail, ...facts(n).map((f) => `> ${f}`), ...link].join("\n");
}
