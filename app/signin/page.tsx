import { signInPageInfo } from "@/lib/auth/signin.server";
import { SignInForm } from "@/components/auth/sign-in-form";

export const dynamic = "force-dynamic";

/** Only same-site paths may follow a sign-in (no open redirect). */
function safeNext(v: string | string[] | undefined): string {
  const s = Array.isArray(v) ? v[0] : v;
  return s && s.startsWith("/") && !s.startsWith("//") && !s.startsWith("/\\") ? s : "/";
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { next } = await searchParams;
  const { demoAccounts } = signInPageInfo();
  return <SignInForm next={safeNext(next)} demoAccounts={demoAccounts} />;
}
