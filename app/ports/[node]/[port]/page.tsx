import { Suspense } from "react";
import { Investigation } from "@/components/investigation/investigation";

export const dynamic = "force-dynamic";

/** `/ports/<node>/<port>`: every stream that held this port, and what happened to each. */
export default async function PortPage({ params }: { params: Promise<{ node: string; port: string }> }) {
  const { node, port } = await params;
  const n = Number(port);
  if (!Number.isInteger(n) || n < 0 || n > 65535) return <p className="text-red-300">Not a port: {port}</p>;
  return (
    <Suspense fallback={<p className="text-slate-400">Loading…</p>}>
      <Investigation target={{ node: decodeURIComponent(node), port: n }} />
    </Suspense>
  );
}
