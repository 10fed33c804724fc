import { Suspense } from "react";
import { PortWall } from "./client";

export const dynamic = "force-dynamic";

export default function WallPage() {
  return (
    <Suspense fallback={<p className="text-slate-400">Loading…</p>}>
      <PortWall />
    </Suspense>
  );
}
