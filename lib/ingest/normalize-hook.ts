/**
 * One ZLM hook -> the events it means, judged against the current model so a
 * lifecycle transition is emitted once even when hooks repeat or arrive out
 * of hook_index order. Every accepted hook yields at least one event, so the
 * log keeps everything ZLM said.
 */
import type { NewEvent } from "../events/types";
import type { Lifecycle } from "../lifecycle/reduce";
import { rtpKey } from "../zlm/rtp-key";
import { redactSecrets } from "../zlm/redact";

export interface HookInput {
  nodeId: string;
  hook: string;
  body: Record<string, unknown>;
  at: number;
}

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const int = (v: unknown): number | null => (typeof v === "number" && Number.isInteger(v) ? v : null);

const SIMPLE: Record<string, NewEvent["kind"]> = {
  on_flow_report: "stream.flow_report",
  on_play: "stream.play",
  on_stream_none_reader: "stream.none_reader",
  on_stream_not_found: "stream.not_found",
  on_send_rtp_stopped: "send_rtp.stopped",
  on_server_keepalive: "node.keepalive",
  on_server_exited: "node.exited",
};

export function normalizeHook(input: HookInput, model: Lifecycle): NewEvent[] {
  const { nodeId, hook, body, at } = input;
  const payload = redactSecrets(body);
  const hookIndex = int(body.hook_index);
  const streamId = str(body.stream) ?? str(body.stream_id);
  const key = streamId ? rtpKey({ vhost: str(body.vhost), app: str(body.app), streamId }) : null;
  const live = key ? model.currentSession(nodeId, key) : undefined;
  const ev = (kind: NewEvent["kind"], port: number | null = live?.port ?? null, extra: Record<string, unknown> = {}): NewEvent => ({
    at,
    nodeId,
    kind,
    key,
    port,
    source: "hook",
    payload: Object.keys(extra).length ? { ...payload, ...extra } : payload,
    hookIndex,
  });

  switch (hook) {
    case "on_rtp_server_timeout": {
      const port = int(body.local_port);
      const out: NewEvent[] = [];
      // A timeout means no frame for timeoutSec: media stopped first, even if no hook said so (unless the
      // hook is a late one for the session before, or a ghost's).
      const target = key ? model.timeoutTarget(nodeId, key, port, at) : null;
      if (target && !target.late && target.session.state === "receiving") out.push(ev("rtp.media_stopped", port, { inferredFrom: "on_rtp_server_timeout" }));
      // Whose timeout it is (null: a ghost's), so a client patching its cached sessions need not guess.
      out.push(ev("rtp.timed_out", port, { timeoutOf: target?.session.id ?? null }));
      return out;
    }
    case "on_publish": {
      const out = [ev("stream.publish")];
      if (live && live.state === "waiting") out.push(ev("rtp.receiving"));
      return out;
    }
    case "on_stream_changed": {
      if (body.regist === true) {
        // ZLM registers a stray hls (originType 0) in the middle of a teardown: not a "stream up".
        const stray = body.originType === 0 && body.schema === "hls";
        const out = [ev("stream.registered", live?.port ?? null, stray ? { strayTeardownRegistration: true } : {})];
        // From media_stopped only a stream registered anew is media again: a schema added to a still
        // registered stream (hls comes ~2 s late) says nothing of a stop the poll saw in its totalBytes.
        const anew = live?.state === "media_stopped" && !model.nodeMedia(nodeId).has(key!);
        if (!stray && live && (live.state === "waiting" || anew)) out.push(ev("rtp.receiving"));
        return out;
      }
      const out = [ev("stream.unregistered")];
      if (live && live.state === "receiving") out.push(ev("rtp.media_stopped"));
      return out;
    }
    case "on_server_started": {
      // Not a restart by itself: a ZLM that started before Portscope retries this hook late. The next
      // poll decides, releasing whatever is no longer listed with the cause "node restarted".
      const out: NewEvent[] = [{ at, nodeId, kind: "node.started", key: null, port: null, source: "hook", payload, hookIndex }];
      const known = model.node(nodeId)?.mediaServerId;
      const now = str(body["general.mediaServerId"]);
      if (known && now && known !== now) out.push({ at, nodeId, kind: "node.restarted", key: null, port: null, source: "hook", payload: { cause: "mediaServerId changed", from: known, to: now }, hookIndex });
      return out;
    }
    default: {
      const kind = SIMPLE[hook];
      if (kind) return [kind.startsWith("node.") ? { ...ev(kind), key: null, port: null } : ev(kind)];
      return [{ ...ev("hook.other"), payload: { hook, body: payload } }];
    }
  }
}
