import { getPortscope } from "@/lib/runtime/portscope.server";
import { readDenied } from "@/lib/auth/guard.server";
import { anomaliesQuerySchema, searchParamsObject } from "@/lib/api/read-params";
import { invalidInput, jsonResponse } from "@/lib/api/respond";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const denied = readDenied(request);
  if (denied) return denied;
  const parsed = anomaliesQuerySchema.safeParse(searchParamsObject(new URL(request.url).searchParams));
  if (!parsed.success) return invalidInput(parsed.error);
  const { pipeline } = await getPortscope();
  const { node, active } = parsed.data;
  const anomalies = pipeline.lifecycle
    .anomalies(Date.now())
    .filter((a) => (!node || a.nodeId === node) && (active === undefined || a.active === active));
  return jsonResponse({ anomalies });
}
