/** Incidents: severities, states, the list's chrome, and per kind what it means in ZLM terms and what to do. */
export const incidentsText = {
  en: {
    incidents: {
      title: "Incidents",
      openCount: "{{count}} open",
      none: "No open incidents.",
      resolvedCount: "{{count}} resolved recently",
      count: "×{{count}}",
      firstLast: "first {{first}} · last {{last}}",
      staged: "staged by the demo: {{label}}",
      ackedBy: "acknowledged by {{by}}: {{reason}}",
      silencedUntil: "silenced until {{until}} by {{by}}: {{reason}}",
      acknowledge: "Acknowledge…",
      silence: "Silence…",
      help: "What it means",
      reasonPlaceholder: "why (kept in the audit trail)",
      minutes: "minutes",
      confirmAck: "Acknowledge",
      confirmSilence: "Silence",
      cancel: "Cancel",
      failed: "Could not save: {{message}}",
      more: "{{count}} more",
    },
    severity: { critical: "Critical", warning: "Warning", info: "Info" },
    incidentState: { open: "open", acknowledged: "acknowledged", silenced: "silenced", resolved: "resolved" },
    incidentHelp: {
      waiting_past_timeout: {
        meaning: "listRtpServer still lists a server that never got media, longer than rtp_proxy.timeoutSec + 3 s. ZLM should have closed it on its 3 s check; until it goes, every openRtpServer for this stream_id answers -300 \"This stream already exists\".",
        action: "Check the node's rtp_proxy.timeoutSec and its load; close the server (Close…) if the camera is not coming, and look at why the camera never sent (INVITE, SSRC, firewall).",
      },
      media_without_server: {
        meaning: "getMediaList shows an rtp stream that no RTP server lists: a stream on the single-port receiver (rtp_proxy.port, named by SSRC) or a multiplex server, or a teardown in progress.",
        action: "Usually nothing: confirm the camera was meant to send to the single port. If it should have its own server, the platform opened the wrong port.",
      },
      repeated_timeouts: {
        meaning: "The same stream_id timed out three times in ten minutes without ever receiving media: something keeps opening it while the camera sends nothing.",
        action: "Check the platform's INVITE to the camera, the SSRC the camera uses, and the firewall between them; stop the open loop before it fills the port pool.",
      },
      exists_but_absent: {
        meaning: "openRtpServer answered -300 \"This stream already exists\" while getRtpInfo said exist:false: a server holds the stream_id and is still waiting for media (only listRtpServer shows it).",
        action: "Let the platform reuse the holder's port, or close it and wait for the release before opening again; the race shield (absorb) does this for wvp-like platforms. See the verdict on the stream page.",
      },
      port_pool_high: {
        meaning: "More than 80% of rtp_proxy.port_range is held by servers: new openRtpServer calls with port=0 will soon fail.",
        action: "Close servers that wait without media, shorten rtp_proxy.timeoutSec, or widen the port range (and keep it out of the kernel's ephemeral ports).",
      },
      ghost_receiver: {
        meaning: "on_rtp_server_timeout keeps arriving every 3 s for a stream_id/port that listRtpServer does not list: a receiver left behind by a failed tcp_mode=1 open. It cannot close new servers of this key.",
        action: "Harmless for new opens; only a ZLM restart clears it. Acknowledge it, or restart the node in a quiet hour.",
      },
      vanished_without_hook: {
        meaning: "A server left the way ZLM's timeout removes one (idle for timeoutSec), but no on_rtp_server_timeout arrived.",
        action: "Check [hook] enable and on_rtp_server_timeout in the node's config, the hook URL's token, and that Portscope's hook listener is reachable from ZLM.",
      },
    },
  },
  zh: {
    incidents: {
      title: "事件",
      openCount: "{{count}} 个未处理",
      none: "没有未处理的事件。",
      resolvedCount: "最近已解决 {{count}} 个",
      count: "×{{count}}",
      firstLast: "首次 {{first}} · 最近 {{last}}",
      staged: "演示安排：{{label}}",
      ackedBy: "{{by}} 已确认：{{reason}}",
      silencedUntil: "{{by}} 已静默至 {{until}}：{{reason}}",
      acknowledge: "确认…",
      silence: "静默…",
      help: "含义",
      reasonPlaceholder: "原因（记入审计记录）",
      minutes: "分钟",
      confirmAck: "确认",
      confirmSilence: "静默",
      cancel: "取消",
      failed: "无法保存：{{message}}",
      more: "还有 {{count}} 个",
    },
    severity: { critical: "严重", warning: "警告", info: "提示" },
    incidentState: { open: "未处理", acknowledged: "已确认", silenced: "已静默", resolved: "已解决" },
    incidentHelp: {
      waiting_past_timeout: {
        meaning: "listRtpServer 仍列出一个从未收到媒体的服务器，且已超过 rtp_proxy.timeoutSec + 3 秒。ZLM 本应在每 3 秒的检查中关闭它；在它消失之前，该 stream_id 的每次 openRtpServer 都会返回 -300“This stream already exists”。",
        action: "检查节点的 rtp_proxy.timeoutSec 和负载；若摄像机不会推流，关闭该服务器（关闭…），并排查摄像机为何从未推流（INVITE、SSRC、防火墙）。",
      },
      media_without_server: {
        meaning: "getMediaList 显示了一个没有任何 RTP 服务器列出的 rtp 流：单端口接收器（rtp_proxy.port，按 SSRC 命名）或复用服务器上的流，或正在拆除。",
        action: "通常无需处理：确认摄像机本就应推到单端口。若它应有自己的服务器，说明平台打开了错误的端口。",
      },
      repeated_timeouts: {
        meaning: "同一个 stream_id 在十分钟内超时三次且从未收到媒体：有人在摄像机不推流时不断打开它。",
        action: "检查平台对摄像机的 INVITE、摄像机使用的 SSRC 以及两者之间的防火墙；在端口池被占满之前停止这个循环。",
      },
      exists_but_absent: {
        meaning: "openRtpServer 返回 -300“This stream already exists”，而 getRtpInfo 显示 exist:false：有服务器占用该 stream_id 并仍在等待媒体（只有 listRtpServer 能看到）。",
        action: "让平台复用占用者的端口，或关闭它并等待释放后再打开；竞争保护（absorb）会为类 wvp 平台这样做。详见流页面上的判定。",
      },
      port_pool_high: {
        meaning: "rtp_proxy.port_range 中超过 80% 的端口已被服务器占用：port=0 的新 openRtpServer 调用很快会失败。",
        action: "关闭没有媒体的等待服务器，缩短 rtp_proxy.timeoutSec，或扩大端口范围（并避开内核的临时端口范围）。",
      },
      ghost_receiver: {
        meaning: "listRtpServer 未列出的 stream_id/端口每 3 秒仍收到 on_rtp_server_timeout：这是 tcp_mode=1 打开失败留下的接收器。它不会关闭该键的新服务器。",
        action: "对新的打开无害；只有重启 ZLM 才能清除。可以确认它，或在业务低峰时重启节点。",
      },
      vanished_without_hook: {
        meaning: "服务器像被 ZLM 超时移除那样离开（空闲已达 timeoutSec），却没有收到 on_rtp_server_timeout。",
        action: "检查节点配置中 [hook] 的 enable 和 on_rtp_server_timeout、Hook URL 中的 token，以及 ZLM 能否访问 Portscope 的 Hook 监听端口。",
      },
    },
  },
} as const;
