import { getPortscope } from "@/lib/runtime/portscope.server";
import { createEventStream, SSE_HEADERS } from "@/lib/events/sse";
import { getBus } from "@/lib/events/bus";
import { searchParamsObject, sseQuerySchema } from "@/lib/api/read-params";
import { invalidInput } from "@/lib/api/respond";

export const dynamic = "force-dynamic";

/** One SSE stream per tab: every new event, replayed from the durable log after Last-Event-ID (or ?after=). */
export async function GET(request: Request): Promise<Response> {
  const parsed = sseQuerySchema.safeParse(searchParamsObject(new URL(request.url).searchParams));
  if (!parsed.success) return invalidInput(parsed.error);
  const header = request.headers.get("last-event-id");
  const fromHeader = header && /^\d+$/.test(header) ? Number(header) : null;
  const lastEventId = fromHeader ?? parsed.data.after ?? null;
  const { node, key } = parsed.data;
  const { pipeline } = await getPortscope();
  const stream = createEventStream({
    store: pipeline.store,
    bus: getBus(),
    lastEventId,
    filter: node || key ? (ev) => (!node || ev.nodeId === node) && (!key || ev.key === key) : undefined,
    signal: request.signal,
  });
  return new Response(stream, { headers: SSE_HEADERS });
}
