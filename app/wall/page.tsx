import { Suspense } from "react";
import { PageLoading } from "@/components/investigation/page-loading";
import { PortWall } from "./client";

export const dynamic = "force-dynamic";

export default function WallPage() {
  return (
    <Suspense fallback={<PageLoading textKey="wall.loading" />}>
      <PortWall />
    </Suspense>
  );
}
