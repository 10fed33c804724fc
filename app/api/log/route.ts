import { getPortscope } from "@/lib/runtime/portscope.server";
import { readDenied } from "@/lib/auth/guard.server";
import { eventsQuerySchema, searchParamsObject } from "@/lib/api/read-params";
import { invalidInput, jsonResponse } from "@/lib/api/respond";
import { eventsToCsv, eventsToNdjson } from "@/lib/api/export";

export const dynamic = "force-dynamic";

/** The durable log: one stream's, port's or node's history in a time range, as JSON, CSV or NDJSON. */
export async function GET(request: Request): Promise<Response> {
  const denied = readDenied(request);
  if (denied) return denied;
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
  if (q.format === "json") return jsonResponse({ events, lastId: await pipeline.store.lastId() });
  const name = `portscope-${(q.key ?? q.node ?? "events").replace(/[^A-Za-z0-9._-]+/g, "_")}.${q.format}`;
  const body = q.format === "csv" ? eventsToCsv(events) : eventsToNdjson(events);
  return new Response(body, {
    headers: { "content-type": q.format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson", "content-disposition": `attachment; filename="${name}"`, "cache-control": "no-store" },
  });
}
