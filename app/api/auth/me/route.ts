import { whoAmI } from "@/lib/auth/signin.server";

export const dynamic = "force-dynamic";

/** Who is signed in and what their role may do (the UI disables what it may not). */
export async function GET(request: Request): Promise<Response> {
  return whoAmI(request);
}
