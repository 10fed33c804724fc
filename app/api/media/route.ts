import { getPortscope } from "@/lib/runtime/portscope.server";
import { readDenied } from "@/lib/auth/guard.server";
import { searchParamsObject } from "@/lib/api/read-params";
import { invalidInput, jsonResponse } from "@/lib/api/respond";
import { mediaQuerySchema, mediaRatesView } from "@/lib/api/media";

export const dynamic = "force-dynamic";

/** Receive rates (bytes/s per stream) from each poller's last getMediaList. `?node=`, `?key=`. */
export async function GET(request: Request): Promise<Response> {
  const denied = readDenied(request);
  if (denied) return denied;
  const parsed = mediaQuerySchema.safeParse(searchParamsObject(new URL(request.url).searchParams));
  if (!parsed.success) return invalidInput(parsed.error);
  const { pollers } = await getPortscope();
  const sources = await Promise.all([...pollers.values()].filter((p) => !parsed.data.node || p.state.nodeId === parsed.data.node).map(async (p) => ({ nodeId: p.state.nodeId, media: await p.mediaNow() })));
  return jsonResponse(mediaRatesView(sources, parsed.data));
}
