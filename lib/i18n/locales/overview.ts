/** The overview page: timeline chrome, anomalies, live transitions, charts. */
export const overviewText = {
  en: {
    timeline: {
      title: "RTP port timeline",
      follow: "follow live",
      rows: "rows",
      perStream: "per stream",
      perPort: "per port",
      count: "{{rows}} rows · {{sessions}} sessions · times in {{zone}}",
      empty: "No RTP server in this time range yet.",
    },
    anomalies: { title: "Anomalies", active: "{{count}} active", none: "Nothing inconsistent right now." },
    recent: { title: "Live transitions", waiting: "Waiting for the next lifecycle event…" },
  },
  zh: {
    timeline: {
      title: "RTP 端口时间线",
      follow: "跟随实时",
      rows: "行",
      perStream: "按流",
      perPort: "按端口",
      count: "{{rows}} 行 · {{sessions}} 个会话 · 时区 {{zone}}",
      empty: "该时间范围内还没有 RTP 服务器。",
    },
    anomalies: { title: "异常", active: "{{count}} 个活动", none: "当前没有不一致的状态。" },
    recent: { title: "实时状态变化", waiting: "等待下一个生命周期事件…" },
  },
} as const;
