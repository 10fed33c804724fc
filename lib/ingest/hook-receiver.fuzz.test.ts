import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createHookReceiver, MAX_HOOK_BODY_BYTES, type HookRequest } from "./hook-receiver";
import type { HookSink } from "./hook-receiver";
import { hookBodySchemas } from "../zlm/schemas";

/**
 * Property tests: every bad hook (wrong token, unknown path, not JSON, a
 * body its schema refuses, oversized) gets a 4xx with ZLM's JSON shape, and
 * none reaches the event log as a hook. Prints how many inputs ran.
 */
const TOKEN = "fuzz-token-123";
const HOOKS = Object.keys(hookBodySchemas);
const RUNS = 2500;

function rig() {
  const stored: unknown[] = [];
  const rejected: string[] = [];
  const sink: HookSink = {
    ingestHook: async (input) => {
      stored.push(input);
      return [1];
    },
    recordRejection: async (r) => void rejected.push(r.reason),
  };
  const receiver = createHookReceiver({ token: TOKEN, allowSources: null, resolveNode: () => ({ nodeId: "zlm-f", upstream: null }), sink });
  return { receiver, stored, rejected };
}

let ran = 0;
async function expectRefused(req: HookRequest, statuses: number[]) {
  const { receiver, stored } = rig();
  const answer = await receiver.handle(req);
  ran++;
  expect(statuses).toContain(answer.status);
  expect(answer.body).toMatchObject({ code: -1 });
  expect(typeof (answer.body as { msg: unknown }).msg).toBe("string");
  expect(stored).toEqual([]);
}

const hookName = fc.constantFrom(...HOOKS);
const anyBody = fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v)));

describe("hook receiver under generated bad input", () => {
  it("a missing or wrong token is refused, whatever the body", async () => {
    await fc.assert(
      fc.asyncProperty(hookName, fc.option(fc.string().filter((t) => t !== TOKEN)), anyBody, async (hook, token, body) => {
        await expectRefused({ hook, token, remoteAddress: "127.0.0.1", body, bodyBytes: body.length }, [401]);
      }),
      { numRuns: RUNS },
    );
  });

  it("a path that is no hook name is refused", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string().filter((h) => !/^on_[a-z0-9_]{1,60}$/.test(h)), anyBody, async (hook, body) => {
        await expectRefused({ hook, token: TOKEN, remoteAddress: "127.0.0.1", body, bodyBytes: body.length }, [404]);
      }),
      { numRuns: RUNS },
    );
  });

  it("a body that is not a JSON object is refused", async () => {
    const notObject = fc.oneof(
      fc.string().filter((s) => {
        try {
          const v: unknown = JSON.parse(s);
          return !v || typeof v !== "object" || Array.isArray(v);
        } catch {
          return true;
        }
      }),
      fc.jsonValue().filter((v) => !v || typeof v !== "object" || Array.isArray(v)).map((v) => JSON.stringify(v)),
    );
    await fc.assert(
      fc.asyncProperty(hookName, notObject, async (hook, body) => {
        await expectRefused({ hook, token: TOKEN, remoteAddress: "127.0.0.1", body, bodyBytes: body.length }, [400]);
      }),
      { numRuns: RUNS },
    );
  });

  it("an object its hook's schema refuses is refused with the issues", async () => {
    const wrongTypes = fc.dictionary(fc.constantFrom("mediaServerId", "stream_id", "app", "vhost", "local_port", "regist", "schema", "stream", "totalBytes", "duration", "tcp_mode", "ssrc", "hook_index", "data"), fc.jsonValue(), { minKeys: 1 });
    await fc.assert(
      fc.asyncProperty(
        hookName.chain((hook) => fc.tuple(fc.constant(hook), wrongTypes.filter((b) => !(hookBodySchemas as Record<string, { safeParse(v: unknown): { success: boolean } }>)[hook].safeParse(b).success))),
        async ([hook, body]) => {
          const text = JSON.stringify(body);
          await expectRefused({ hook, token: TOKEN, remoteAddress: "127.0.0.1", body: text, bodyBytes: text.length }, [422]);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("an oversized body is refused before it is read", async () => {
    await fc.assert(
      fc.asyncProperty(hookName, fc.integer({ min: MAX_HOOK_BODY_BYTES + 1, max: 64 * MAX_HOOK_BODY_BYTES }), fc.boolean(), async (hook, bytes, cut) => {
        await expectRefused({ hook, token: TOKEN, remoteAddress: "127.0.0.1", body: cut ? null : "{}", bodyBytes: bytes }, [413]);
      }),
      { numRuns: 500 },
    );
    console.log(`fuzz (hook receiver): ${ran} generated bad hooks, every one answered 4xx, none stored`);
    expect(ran).toBeGreaterThanOrEqual(4 * RUNS + 500);
  });
});
