import { getPortscope } from "@/lib/runtime/portscope.server";
import { requestClientAddress } from "@/lib/auth/identify";
import { getAuthConfig } from "@/lib/auth/index.server";

export const dynamic = "force-dynamic";

/** The API tap on the Next port: `/zlm/<node>/index/api/<endpoint>` forwards to that node's ZLM unchanged. */
async function handle(request: Request, ctx: { params: Promise<{ node: string; endpoint: string }> }): Promise<Response> {
  const { node, endpoint } = await ctx.params;
  const url = new URL(request.url);
  const raw = request.method === "GET" || request.method === "HEAD" ? null : Buffer.from(await request.arrayBuffer());
  const { tap } = await getPortscope();
  const zlmHeaders: Record<string, string> = {};
  for (const name of ["cookie", "secret"]) {
    const v = request.headers.get(name);
    if (v !== null) zlmHeaders[name] = v;
  }
  const answer = await tap.handle({
    nodeId: node,
    endpoint,
    method: request.method,
    query: url.search.slice(1),
    contentType: request.headers.get("content-type"),
    body: raw && raw.length > 0 ? raw : null,
    caller: requestClientAddress(request.headers, getAuthConfig().trustedProxies),
    headers: zlmHeaders,
  });
  const headers = new Headers();
  for (const [k, v] of Object.entries(answer.headers)) {
    if (k === "connection") continue;
    for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
  }
  return new Response(new Uint8Array(answer.body), { status: answer.status, headers });
}

export const GET = handle;
export const POST = handle;
