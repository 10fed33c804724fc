import { signOut } from "@/lib/auth/signin.server";

export const dynamic = "force-dynamic";

/** Clears the session and CSRF cookies. */
export async function POST(request: Request): Promise<Response> {
  return signOut(request);
}
