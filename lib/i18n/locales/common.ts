/** Chrome shared by every view: navigation, SSE status, lifecycle states, nodes. */
export const commonText = {
  en: {
    nav: { timeline: "Timeline", wall: "Port wall", search: "Stream id, SSRC or port  ( / )", language: "Language" },
    stream: { live: "Live", connecting: "Connecting…", reconnecting: "Reconnecting…" },
    state: { waiting: "Waiting for media", receiving: "Receiving", paused: "Paused (timeout check)", media_stopped: "Media stopped", timed_out: "Timed out", closed: "Closed", released: "Released", open_failed: "Open failed" },
    node: { online: "Online", offline: "Offline" },
  },
  zh: {
    nav: { timeline: "时间线", wall: "端口墙", search: "流 ID、SSRC 或端口  ( / )", language: "语言" },
    stream: { live: "实时", connecting: "连接中…", reconnecting: "重新连接中…" },
    state: { waiting: "等待媒体", receiving: "接收中", paused: "已暂停（超时检查）", media_stopped: "媒体已停止", timed_out: "已超时", closed: "已关闭", released: "已释放", open_failed: "打开失败" },
    node: { online: "在线", offline: "离线" },
  },
} as const;
