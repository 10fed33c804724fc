import { signIn } from "@/lib/auth/signin.server";
import { recordSignIn } from "@/lib/runtime/audit.server";

export const dynamic = "force-dynamic";

/** `{ user, password }` → session cookie (HTTP-only) + CSRF cookie; every attempt, good or bad, is recorded. */
export async function POST(request: Request): Promise<Response> {
  const { response, attempt } = await signIn(request);
  await recordSignIn(attempt);
  return response;
}
