/** UI text in English and Simplified Chinese. Keys are grouped by view; ZLM's own terms stay untranslated. */
export const resources = {
  en: {
    translation: {
      nav: { timeline: "Timeline", wall: "Port wall", search: "Stream id, SSRC or port  ( / )", language: "Language" },
      stream: { live: "Live", connecting: "Connecting…", reconnecting: "Reconnecting…" },
      timeline: {
        title: "RTP port timeline",
        follow: "follow live",
        rows: "rows",
        perStream: "per stream",
        perPort: "per port",
        count: "{{rows}} rows · {{sessions}} sessions · times in {{zone}}",
        empty: "No RTP server in this time range yet.",
      },
      state: { waiting: "Waiting for media", receiving: "Receiving", media_stopped: "Media stopped", timed_out: "Timed out", closed: "Closed", released: "Released", open_failed: "Open failed" },
      anomalies: { title: "Anomalies", active: "{{count}} active", none: "Nothing inconsistent right now." },
      recent: { title: "Live transitions", waiting: "Waiting for the next lifecycle event…" },
      wall: { title: "Port wall", live: "live", asOf: "as of {{time}}", servers: "{{count}} servers", timeTravel: "time travel" },
      node: { online: "Online", offline: "Offline" },
    },
  },
  zh: {
    translation: {
      nav: { timeline: "时间线", wall: "端口墙", search: "流 ID、SSRC 或端口  ( / )", language: "语言" },
      stream: { live: "实时", connecting: "连接中…", reconnecting: "重新连接中…" },
      timeline: {
        title: "RTP 端口时间线",
        follow: "跟随实时",
        rows: "行",
        perStream: "按流",
        perPort: "按端口",
        count: "{{rows}} 行 · {{sessions}} 个会话 · 时区 {{zone}}",
        empty: "该时间范围内还没有 RTP 服务器。",
      },
      state: { waiting: "等待媒体", receiving: "接收中", media_stopped: "媒体已停止", timed_out: "已超时", closed: "已关闭", released: "已释放", open_failed: "打开失败" },
      anomalies: { title: "异常", active: "{{count}} 个活动", none: "当前没有不一致的状态。" },
      recent: { title: "实时状态变化", waiting: "等待下一个生命周期事件…" },
      wall: { title: "端口墙", live: "实时", asOf: "截至 {{time}}", servers: "{{count}} 个服务器", timeTravel: "时间回溯" },
      node: { online: "在线", offline: "离线" },
    },
  },
} as const;

export type Language = keyof typeof resources;
export const LANGUAGES: { code: Language; label: string }[] = [
  { code: "en", label: "English" },
  { code: "zh", label: "简体中文" },
];
