import type { HookSink } from "./hook-receiver";
import type { Pipeline } from "./pipeline.server";
import { redactSecrets, redactSecretsInText } from "./redact-payload";

/** Connects the receiver to the pipeline: accepted hooks become events, rejected ones a `hook.rejected` event. */
export function createHookSink(pipeline: Pick<Pipeline, "ingestHook" | "append">): HookSink {
  return {
    async ingestHook({ nodeId, hook, body, at, tee }) {
      const extra = tee ? { portscope_tee: { ok: tee.ok, status: tee.status, ms: Math.round(tee.ms), error: tee.error, answer: tee.answer } } : undefined;
      const events = await pipeline.ingestHook({ nodeId, hook, body, at, extra });
      return events.map((e) => e.id);
    },
    async recordRejection({ nodeId, hook, reason, status, detail, excerpt, at }) {
      const payload = redactSecrets({ hook, reason, status, detail, excerpt: excerpt === null ? null : redactSecretsInText(excerpt) });
      await pipeline.append([{ at, nodeId: nodeId ?? "unknown", kind: "hook.rejected", key: null, port: null, source: "hook", payload }]);
    },
  };
}
