import { Suspense } from "react";
import { Overview } from "./client";

export const dynamic = "force-dynamic";

export default function HomePage() {
  return (
    <Suspense fallback={<p className="text-slate-400">Loading…</p>}>
      <Overview />
    </Suspense>
  );
}
