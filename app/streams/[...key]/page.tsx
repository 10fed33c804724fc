import { Suspense } from "react";
import { Investigation } from "@/components/investigation/investigation";
import { PageLoading } from "@/components/investigation/page-loading";

export const dynamic = "force-dynamic";

/** `/streams/<vhost>/<app>/<stream_id>`: one stream's whole story, shareable by link. */
export default async function StreamPage({ params }: { params: Promise<{ key: string[] }> }) {
  const { key } = await params;
  const full = key.map(decodeURIComponent);
  const rtpKey = full.length >= 3 ? full.join("/") : `__defaultVhost__/rtp/${full.join("/")}`;
  return (
    <Suspense fallback={<PageLoading textKey="investigation.loading" />}>
      <Investigation target={{ key: rtpKey }} />
    </Suspense>
  );
}
