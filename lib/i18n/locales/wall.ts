/** The port wall. */
export const wallText = {
  en: {
    wall: { title: "Port wall", live: "live", asOf: "as of {{time}}", servers: "{{count}} servers", timeTravel: "time travel" },
  },
  zh: {
    wall: { title: "端口墙", live: "实时", asOf: "截至 {{time}}", servers: "{{count}} 个服务器", timeTravel: "时间回溯" },
  },
} as const;
