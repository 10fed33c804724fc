/** Chrome shared by every view: navigation, SSE status, lifecycle states, nodes. */
export const commonText = {
  en: {
    page: { loading: "Loading…", dateFormat: "YYYY-MM-DD hh:mm:ss" },
    nav: { timeline: "Timeline", wall: "Port wall", search: "Stream id, SSRC or port  ( / )", language: "Language" },
    stream: { live: "Live", connecting: "Connecting…", reconnecting: "Reconnecting…", lastEvent: "last event #{{id}}" },
    state: { waiting: "Waiting for media", receiving: "Receiving", paused: "Paused (timeout check)", media_stopped: "Media stopped", timed_out: "Timed out", closed: "Closed", released: "Released", open_failed: "Open failed" },
    node: { online: "Online", offline: "Offline" },
    theme: { dark: "Dark", light: "Light", switchTo: "Switch to the {{theme}} theme" },
    notice: {
      nodeOffline: "{{node}} is offline",
      nodeOnline: "{{node}} is back online",
      nodeRestarted: "{{node}} restarted: every RTP port was released",
      actionOk: "{{action}} of {{stream}}: {{outcome}}",
      actionFailed: "{{action}} of {{stream}} failed ({{outcome}})",
      streamBack: "Live updates are back; missed events were replayed",
      dismiss: "Dismiss",
    },
    banner: {
      streamDown: "Live updates interrupted since {{since}}: reconnecting. What you see may be stale.",
      serverDown: "Cannot reach Portscope's server: {{error}}",
      nodeDown: "{{node}} is offline (since {{since}}): {{error}}",
    },
  },
  zh: {
    page: { loading: "加载中…", dateFormat: "年-月-日 时:分:秒" },
    nav: { timeline: "时间线", wall: "端口墙", search: "流 ID、SSRC 或端口  ( / )", language: "语言" },
    stream: { live: "实时", connecting: "连接中…", reconnecting: "重新连接中…", lastEvent: "最新事件 #{{id}}" },
    state: { waiting: "等待媒体", receiving: "接收中", paused: "已暂停（超时检查）", media_stopped: "媒体已停止", timed_out: "已超时", closed: "已关闭", released: "已释放", open_failed: "打开失败" },
    node: { online: "在线", offline: "离线" },
    theme: { dark: "深色", light: "浅色", switchTo: "切换到{{theme}}主题" },
    notice: {
      nodeOffline: "{{node}} 已离线",
      nodeOnline: "{{node}} 已恢复在线",
      nodeRestarted: "{{node}} 已重启：所有 RTP 端口均已释放",
      actionOk: "{{stream}} 的 {{action}}：{{outcome}}",
      actionFailed: "{{stream}} 的 {{action}} 失败（{{outcome}}）",
      streamBack: "实时更新已恢复，错过的事件已重放",
      dismiss: "关闭",
    },
    banner: {
      streamDown: "实时更新自 {{since}} 起中断：正在重新连接。当前画面可能已过时。",
      serverDown: "无法连接 Portscope 服务器：{{error}}",
      nodeDown: "{{node}} 已离线（自 {{since}}）：{{error}}",
    },
  },
} as const;
