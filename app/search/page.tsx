import { Suspense } from "react";
import { SearchResults } from "./client";

export const dynamic = "force-dynamic";

export default function SearchPage() {
  return (
    <Suspense fallback={<p className="text-slate-400">Searching…</p>}>
      <SearchResults />
    </Suspense>
  );
}
