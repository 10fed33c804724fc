import { getPortscope } from "@/lib/runtime/portscope.server";

export const dynamic = "force-dynamic";

/** The API tap on the Next port: `/zlm/<node>/index/api/<endpoint>` forwards to that node's ZLM unchanged. */
async function handle(request: Request, ctx: { params: Promise<{ node: string; endpoint: string }> }): Promise<Response> {
  const { node, endpoint } = await ctx.params;
  const url = new URL(request.url);
  const body = request.method === "GET" || request.method === "HEAD" ? null : Buffer.from(await request.arrayBuffer());
  const { tap } = await getPortscope();
  const answer = await tap.handle({
    nodeId: node,
    endpoint,
    method: request.method,
    query: url.search.slice(1),
    contentType: request.headers.get("content-type"),
    body,
    caller: request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? null,
  });
  const headers = new Headers();
  for (const [k, v] of Object.entries(answer.headers)) if (k !== "connection") headers.set(k, v);
  return new Response(new Uint8Array(answer.body), { status: answer.status, headers });
}

export const GET = handle;
export const POST = handle;
