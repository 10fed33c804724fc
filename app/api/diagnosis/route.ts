import { getPortscope } from "@/lib/runtime/portscope.server";
import { readDenied } from "@/lib/auth/guard.server";
import { searchParamsObject } from "@/lib/api/read-params";
import { invalidInput, jsonResponse } from "@/lib/api/respond";
import { diagnosisWindow, readDiagnosis } from "@/lib/diagnosis/diagnosis-read";

export const dynamic = "force-dynamic";

/** "Already exists" verdicts counted per cause, node and time bucket, with the latest 20 (for the overview). */
export async function GET(request: Request): Promise<Response> {
  const denied = readDenied(request);
  if (denied) return denied;
  const parsed = diagnosisWindow(Date.now()).safeParse(searchParamsObject(new URL(request.url).searchParams));
  if (!parsed.success) return invalidInput(parsed.error);
  const { pipeline } = await getPortscope();
  return jsonResponse(await readDiagnosis(pipeline.store, parsed.data));
}
