/**
 * `GET /api/media`: each node's receive rates from its poller's last
 * getMediaList (bytes/s per stream). Memory only, never the log.
 */
import { z } from "zod";
import type { MediaRate } from "../ingest/media-rates";

export const mediaQuerySchema = z
  .object({
    node: z.string().min(1).max(200).optional(),
    key: z.string().min(1).max(700).optional(),
  })
  .strict();
export type MediaQuery = z.infer<typeof mediaQuerySchema>;

export interface NodeMediaRates {
  nodeId: string;
  /** When the poll that read these rates started; null when the last getMediaList failed. */
  polledAt: number | null;
  rates: MediaRate[];
}

export interface MediaRatesSource {
  nodeId: string;
  media: { polledAt: number; rates: MediaRate[] } | null;
}

export function mediaRatesView(pollers: Iterable<MediaRatesSource>, q: MediaQuery): { nodes: NodeMediaRates[]; generatedAt: number } {
  const nodes: NodeMediaRates[] = [];
  for (const p of pollers) {
    if (q.node && p.nodeId !== q.node) continue;
    const rates = (p.media?.rates ?? []).filter((r) => !q.key || r.key === q.key);
    nodes.push({ nodeId: p.nodeId, polledAt: p.media?.polledAt ?? null, rates });
  }
  return { nodes, generatedAt: Date.now() };
}
