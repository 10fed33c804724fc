import type { HookSink } from "./hook-receiver";
import type { EventPipeline as Pipeline } from "../events/event-pipeline";
import { redactSecrets, redactSecretsInText } from "../zlm/redact";
import { normalizeHook } from "./normalize-hook";

/** Connects the receiver to the pipeline: accepted hooks become events, rejected ones a `hook.rejected` event. */
export function createHookSink(pipeline: Pick<Pipeline, "appendFrom" | "append">): HookSink {
  return {
    async ingestHook({ nodeId, hook, body, at, tee }) {
      const extra = tee ? { portscope_tee: { ok: tee.ok, status: tee.status, ms: Math.round(tee.ms), error: tee.error, answer: tee.answer } } : undefined;
      const events = await ingestHook(pipeline, { nodeId, hook, body, at, extra });
      return events.map((e) => e.id);
    },
    async recordRejection({ nodeId, hook, reason, status, detail, excerpt, at }) {
      const payload = redactSecrets({ hook, reason, status, detail, excerpt: excerpt === null ? null : redactSecretsInText(excerpt) });
      await pipeline.append([{ at, nodeId: nodeId ?? "unknown", kind: "hook.rejected", key: null, port: null, source: "hook", payload }]);
    },
  };
}

/** A hook as events, normalised against the model (and the tee's outcome, redacted, on each). */
export function ingestHook(pipeline: Pick<Pipeline, "appendFrom">, input: { nodeId: string; hook: string; body: Record<string, unknown>; at: number; extra?: Record<string, unknown> }) {
  return pipeline.appendFrom((model) => {
    const events = normalizeHook({ nodeId: input.nodeId, hook: input.hook, body: input.body, at: input.at }, model);
    if (input.extra) {
      const extra = redactSecrets(input.extra);
      for (const ev of events) ev.payload = { ...ev.payload, ...extra };
    }
    return events;
  });
}
