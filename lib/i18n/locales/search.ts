/** The search results page. */
export const searchText = {
  en: {
    search: {
      inputLabel: "Search streams, SSRC or port",
      resultsFor: "Results for “{{q}}”",
      searching: "Searching…",
      none: "No stream, SSRC or port matches.",
      prompt: "Type a stream id, an SSRC (decimal or 0x hex) or a port in the search box.",
      ports: "ports {{ports}}",
      last: "last {{time}}",
      error: "Search failed: {{message}}",
    },
  },
  zh: {
    search: {
      inputLabel: "搜索流、SSRC 或端口",
      resultsFor: "“{{q}}” 的搜索结果",
      searching: "搜索中…",
      none: "没有匹配的流、SSRC 或端口。",
      prompt: "在搜索框输入流 ID、SSRC（十进制或 0x 十六进制）或端口。",
      ports: "端口 {{ports}}",
      last: "最近 {{time}}",
      error: "搜索失败：{{message}}",
    },
  },
} as const;
