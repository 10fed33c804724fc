import { getPortscope } from "@/lib/runtime/portscope.server";
import { readDenied } from "@/lib/auth/guard.server";
import { searchParamsObject, sessionsQuerySchema } from "@/lib/api/read-params";
import { invalidInput, jsonResponse } from "@/lib/api/respond";
import { listSessions } from "@/lib/api/sessions";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const denied = readDenied(request);
  if (denied) return denied;
  const parsed = sessionsQuerySchema.safeParse(searchParamsObject(new URL(request.url).searchParams));
  if (!parsed.success) return invalidInput(parsed.error);
  const { pipeline } = await getPortscope();
  return jsonResponse(listSessions(pipeline.lifecycle, parsed.data, Date.now()));
}
