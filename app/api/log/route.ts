import { getPortscope } from "@/lib/runtime/portscope.server";
import { eventsQuerySchema, searchParamsObject } from "@/lib/api/read-params";
import { invalidInput, jsonResponse } from "@/lib/api/respond";

export const dynamic = "force-dynamic";

/** The durable log as JSON: one stream's, port's or node's history in a time range. */
export async function GET(request: Request): Promise<Response> {
  const parsed = eventsQuerySchema.safeParse(searchParamsObject(new URL(request.url).searchParams));
  if (!parsed.success) return invalidInput(parsed.error);
  const q = parsed.data;
  const { pipeline } = await getPortscope();
  const events = await pipeline.store.query({
    nodeId: q.node,
    key: q.key,
    port: q.port,
    kinds: q.kind ? [q.kind] : undefined,
    from: q.from,
    to: q.to,
    afterId: q.after,
    limit: q.limit,
    order: q.order,
  });
  return jsonResponse({ events, lastId: await pipeline.store.lastId() });
}
