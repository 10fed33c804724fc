import { Suspense } from "react";
import { PageLoading } from "@/components/investigation/page-loading";
import { SearchResults } from "./client";

export const dynamic = "force-dynamic";

export default function SearchPage() {
  return (
    <Suspense fallback={<PageLoading textKey="search.searching" />}>
      <SearchResults />
    </Suspense>
  );
}
