import { z } from "zod";
import { guard } from "@/lib/auth/guard.server";
import { readAudit } from "@/lib/runtime/audit.server";
import { auditToCsv } from "@/lib/auth/audit";
import { invalidInput, jsonResponse } from "@/lib/api/respond";
import { searchParamsObject } from "@/lib/api/read-params";

export const dynamic = "force-dynamic";

const auditQuerySchema = z
  .object({
    from: z.coerce.number().int().min(0).optional(),
    to: z.coerce.number().int().min(0).optional(),
    node: z.string().min(1).max(64).optional(),
    user: z.string().min(1).max(128).optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(500),
    format: z.enum(["json", "csv"]).default("json"),
  })
  .strict();

/** The audit log (admins): every action, incident mark and sign-in, newest first, as JSON or CSV. */
export async function GET(request: Request): Promise<Response> {
  const g = guard(request, "audit");
  if ("response" in g) return g.response;
  const parsed = auditQuerySchema.safeParse(searchParamsObject(new URL(request.url).searchParams));
  if (!parsed.success) return invalidInput(parsed.error);
  const { format, ...q } = parsed.data;
  const records = await readAudit(q);
  if (format === "json") return jsonResponse({ records });
  return new Response(auditToCsv(records), { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="portscope-audit.csv"', "cache-control": "no-store" } });
}
