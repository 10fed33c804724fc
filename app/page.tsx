import { NodesOverview } from "./client";

export const dynamic = "force-dynamic";

export default function HomePage() {
  return <NodesOverview />;
}
