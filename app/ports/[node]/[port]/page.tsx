import { Suspense } from "react";
import { Investigation } from "@/components/investigation/investigation";
import { PageLoading, TranslatedText } from "@/components/investigation/page-loading";

export const dynamic = "force-dynamic";

/** `/ports/<node>/<port>`: every stream that held this port, and what happened to each. */
export default async function PortPage({ params }: { params: Promise<{ node: string; port: string }> }) {
  const { node, port } = await params;
  const n = Number(port);
  if (!Number.isInteger(n) || n < 0 || n > 65535) return <TranslatedText className="text-red-300" textKey="investigation.notAPort" values={{ port: port.slice(0, 20) }} />;
  return (
    <Suspense fallback={<PageLoading textKey="investigation.loading" />}>
      <Investigation target={{ node: decodeURIComponent(node), port: n }} />
    </Suspense>
  );
}
