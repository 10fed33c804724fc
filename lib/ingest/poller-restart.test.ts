import { afterEach, beforeEach, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openSqliteStore, type SqliteEventStore } from "../events/sqlite-store";
import { EventBus } from "../live/bus";
import type { ZlmClient } from "../zlm/client";
import { ZlmError } from "../zlm/errors";
import { Pipeline } from "../events/pipeline.server";
import { NodePoller } from "./poller.server";
import { ingestHook } from "./hook-sink";
import { sessionMatcher } from "../api/session-filter";

/**
 * The poller's restart logic with a scripted ZLM (answers shaped like the
 * recordings) and a real SQLite log: a restart is taken once, however the
 * config reads and the on_server_started hook interleave.
 */
const NODE = "zlm-a";
const key = (s: string) => `__defaultVhost__/rtp/${s}`;
let dir: string;
let store: SqliteEventStore;
let pipeline: Pipeline;
let clock: number;

interface Zlm {
  mediaServerId: string;
  servers: { stream_id: string; port: number }[];
  down: boolean;
  /** Runs while getServerConfig is in flight (a restart happening under the read). */
  duringConfigRead: (() => Promise<void>) | null;
}

function fakeClient(zlm: Zlm): ZlmClient {
  const refused = (endpoint: string) => new ZlmError({ nodeId: NODE, endpoint, code: null, zlmMsg: null, kind: "transient", httpStatus: null, message: `${endpoint} on ${NODE}: ECONNREFUSED` });
  const guard = async <T>(endpoint: string, answer: () => T): Promise<T> => {
    if (zlm.down) throw refused(endpoint);
    return answer();
  };
  const client = {
    nodeId: NODE,
    listRtpServer: () => guard("listRtpServer", () => zlm.servers.map((s) => ({ vhost: "__defaultVhost__", app: "rtp", stream_id: s.stream_id, port: s.port, tcp_mode: 0, ssrc: 0, only_track: 0 }))),
    getMediaList: () => guard("getMediaList", () => []),
    version: () => guard("version", () => ({ branchName: "master", buildTime: "2026-08-21T10:00:00", commitHash: "fdaec26" })),
    getStatistic: () => guard("getStatistic", () => ({})),
    getServerConfig: async () => {
      const id = zlm.mediaServerId; // read before the restart below, answered after it
      await zlm.duringConfigRead?.();
      zlm.duringConfigRead = null;
      return guard("getServerConfig", () => ({ "general.mediaServerId": id, "rtp_proxy.timeoutSec": "5", "rtp_proxy.port_range": "30000-35000", "api.secret": "s" }));
    },
  };
  return client as unknown as ZlmClient;
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "portscope-poller-"));
  store = openSqliteStore(path.join(dir, "p.db"));
  pipeline = await Pipeline.open(store, new EventBus());
  clock = 1_000_000;
});

afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const tapOpen = (stream: string, port: number) => pipeline.append([{ at: (clock += 10), nodeId: NODE, kind: "rtp.opened", key: key(stream), port, source: "tap", payload: { port, tcp_mode: 0 } }]);
const serverStarted = (mediaServerId: string) =>
  ingestHook(pipeline, { nodeId: NODE, hook: "on_server_started", body: { "general.mediaServerId": mediaServerId, mediaServerId, "api.secret": "s", hook_index: 0 }, at: (clock += 10) });
const poller = (zlm: Zlm) => new NodePoller(fakeClient(zlm), pipeline, { intervalMs: 1000, maxBackoffMs: 1000, jitter: 0 }, () => (clock += 5));
const restarts = async () => (await store.query({ kinds: ["node.restarted"] })).length;
const states = (stream: string) => pipeline.lifecycle.sessions(sessionMatcher({ key: key(stream) })).reverse().map((s) => [s.state, s.endCause]);

describe("poller restart logic", () => {
  it("the id read on the last slow cycle is not compared again on fast cycles after on_server_started", async () => {
    const zlm: Zlm = { mediaServerId: "old", servers: [], down: false, duringConfigRead: null };
    const p = poller(zlm);
    await p.pollOnce(); // slow: node.online, node.config (old)
    await tapOpen("cam1", 30000);
    zlm.servers = [{ stream_id: "cam1", port: 30000 }];
    await p.pollOnce();

    // ZLM restarts with a new id and says so; a camera is opened on the new process.
    zlm.mediaServerId = "new";
    zlm.servers = [];
    await serverStarted("new");
    await tapOpen("cam2", 31000);
    zlm.servers = [{ stream_id: "cam2", port: 31000 }];
    await p.pollOnce(); // fast cycle: no config read
    await p.pollOnce();

    expect(await restarts()).toBe(1);
    expect(states("cam1")).toEqual([["released", "node restarted"]]);
    expect(states("cam2")).toEqual([["waiting", null]]);
  });

  it("a config read that straddles the restart (old id, answered after on_server_started) is dropped and read again", async () => {
    const zlm: Zlm = { mediaServerId: "old", servers: [], down: false, duringConfigRead: null };
    const p = poller(zlm);
    await p.pollOnce();
    await tapOpen("cam1", 30000);
    zlm.servers = [{ stream_id: "cam1", port: 30000 }];
    // The node stops answering for a moment: the next cycle is a slow one.
    zlm.down = true;
    await p.pollOnce();
    zlm.down = false;
    zlm.duringConfigRead = async () => {
      zlm.mediaServerId = "new";
      zlm.servers = [];
      await serverStarted("new");
      await tapOpen("cam2", 31000);
      zlm.servers = [{ stream_id: "cam2", port: 31000 }];
    };
    await p.pollOnce();
    expect(pipeline.lifecycle.node(NODE)?.mediaServerId).toBe("new");
    await p.pollOnce();
    await p.pollOnce();

    expect(await restarts()).toBe(1);
    expect(pipeline.lifecycle.node(NODE)?.mediaServerId).toBe("new");
    expect(states("cam1")).toEqual([["released", "node restarted"]]);
    expect(states("cam2")).toEqual([["waiting", null]]);
  });

  it("a new id seen by a poll with no on_server_started (hooks not configured): one restart, the listing after it is new", async () => {
    const zlm: Zlm = { mediaServerId: "old", servers: [{ stream_id: "cam1", port: 30000 }], down: false, duringConfigRead: null };
    const p = poller(zlm);
    await p.pollOnce(); // discovers cam1
    zlm.down = true;
    await p.pollOnce();
    zlm.down = false;
    zlm.mediaServerId = "new";
    zlm.servers = [{ stream_id: "cam1", port: 32000 }];
    await p.pollOnce();
    await p.pollOnce();

    expect(await restarts()).toBe(1);
    expect(states("cam1")).toEqual([["released", "node restarted"], ["waiting", null]]);
    expect(pipeline.lifecycle.anomalies(clock).filter((a) => a.type === "vanished_without_hook")).toEqual([]);
  });
});
