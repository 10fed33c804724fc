import { getPortscope } from "@/lib/runtime/portscope.server";
import { readDenied } from "@/lib/auth/guard.server";
import { createEventStream, SSE_HEADERS } from "@/lib/live/sse";
import { searchParamsObject, sseQuerySchema } from "@/lib/api/read-params";
import { invalidInput } from "@/lib/api/respond";
import { sessionMatcher } from "@/lib/api/session-filter";

export const dynamic = "force-dynamic";

/** One SSE stream per tab: every new event and the session rows it changed, replayed from the durable log after Last-Event-ID (or ?after=). */
export async function GET(request: Request): Promise<Response> {
  const denied = readDenied(request);
  if (denied) return denied;
  const parsed = sseQuerySchema.safeParse(searchParamsObject(new URL(request.url).searchParams));
  if (!parsed.success) return invalidInput(parsed.error);
  const header = request.headers.get("last-event-id");
  const fromHeader = header && /^\d+$/.test(header) ? Number(header) : null;
  const lastEventId = fromHeader ?? parsed.data.after ?? null;
  const { node, key } = parsed.data;
  const { pipeline, bus } = await getPortscope();
  const stream = createEventStream({
    store: pipeline.store,
    bus,
    model: pipeline.lifecycle,
    lastEventId,
    filter: node || key ? (ev) => (!node || ev.nodeId === node) && (!key || ev.key === key) : undefined,
    sessionFilter: node || key ? sessionMatcher({ node, key }) : undefined,
    signal: request.signal,
  });
  return new Response(stream, { headers: SSE_HEADERS });
}
