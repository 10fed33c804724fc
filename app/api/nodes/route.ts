import { getNodeStatuses } from "@/lib/nodes/status.server";
import { jsonResponse } from "@/lib/api/respond";

export const dynamic = "force-dynamic";

/** Every configured node with its online state and version. Never the secret. */
export async function GET(): Promise<Response> {
  return jsonResponse({ nodes: await getNodeStatuses() });
}
