/**
 * Edge validation of a hook body: JSON object first, then the hook's zod
 * schema when we know the hook. Schemas are loose (unknown fields survive) so
 * a newer ZLM adding fields is never rejected; a body that breaks a field we
 * rely on is, with the zod issues in the message.
 */
import { hookBodySchemas } from "../zlm/schemas";

export type HookValidation =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; status: 400 | 422; message: string };

export function validateHookBody(hook: string, raw: string): HookValidation {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, status: 400, message: `${hook}: body is not JSON` };
  }
  if (!json || typeof json !== "object" || Array.isArray(json)) {
    return { ok: false, status: 400, message: `${hook}: body must be a JSON object` };
  }
  const schema = (hookBodySchemas as Record<string, { safeParse(v: unknown): { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } } | undefined>)[hook];
  if (schema) {
    const result = schema.safeParse(json);
    if (!result.success) {
      const issues = (result.error?.issues ?? []).slice(0, 5).map((i) => `${i.path.map(String).join(".") || "(body)"}: ${i.message}`);
      return { ok: false, status: 422, message: `${hook}: ${issues.join("; ")}` };
    }
  }
  return { ok: true, body: json as Record<string, unknown> };
}
