import { ok, thrown } from "./answer";
import type { Endpoint } from "./rtp-endpoints";
import { ZLM_API_LIST } from "../api-list";

const version: Endpoint = (emu) => {
  const b = emu.build();
  return ok({ data: { branchName: b.branchName, buildTime: emu.buildTime(), commitHash: b.commitHash } });
};

const getApiList: Endpoint = () => ok({ data: [...ZLM_API_LIST] });

const getServerConfig: Endpoint = (emu) => ok({ data: [{ ...emu.configMap }] });

const READ_ONLY_KEYS = new Set(["ffmpeg.bin", "ffmpeg.snap"]);

/** Only known `section.key` entries change; `changed` counts values that really changed (observed). */
const setServerConfig: Endpoint = (emu, args) => {
  let changed = 0;
  for (const key of Object.keys(emu.configMap)) {
    const value = args.get(key);
    if (value === undefined || READ_ONLY_KEYS.has(key) || emu.configMap[key] === value) continue;
    emu.configMap[key] = value;
    changed++;
    if (key === "hook.alive_interval") emu.scheduleKeepalive();
  }
  return ok({ changed });
};

function threadsLoad(kind: "event" | "work"): Endpoint {
  return (emu) => {
    const data = [0, 1].map((i) => ({
      delay: 0,
      fd_count: kind === "event" ? 6 + emu.servers.size + i : 1,
      load: emu.rng.int(0, 30),
      name: `${kind} poller ${i}`,
    }));
    return ok({ data });
  };
}

const getStatistic: Endpoint = (emu) => ok({ data: emu.statistic() });

const getAllSession: Endpoint = () => ok({});

const restartServer: Endpoint = (emu) => {
  setTimeout(() => void emu.restart(), 1000).unref?.();
  return ok({ msg: "服务器将在一秒后自动重启" });
};

/** Endpoints ZLM lists but Portscope never needs: answered as a generic exception. */
export function notEmulated(name: string): Endpoint {
  return () => thrown(-400, `${name} is not available on this server`);
}

export const SERVER_ENDPOINTS: Record<string, Endpoint> = {
  version,
  getApiList,
  getServerConfig,
  setServerConfig,
  getThreadsLoad: threadsLoad("event"),
  getWorkThreadsLoad: threadsLoad("work"),
  getStatistic,
  getAllSession,
  restartServer,
};
