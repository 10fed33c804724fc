import type { UpstreamConfig } from "./hook-tee";

/**
 * Maps a hook's `mediaServerId` to a configured node. ZLM only identifies
 * itself by mediaServerId, which Portscope learns from getServerConfig (or
 * which the node config states). An unknown id on a single-node setup is that
 * node; otherwise it is recorded under its own mediaServerId so nothing is lost.
 */
export interface DirectoryNode {
  id: string;
  mediaServerId?: string | null;
  upstream?: UpstreamConfig | null;
}

export class NodeDirectory {
  private readonly nodes = new Map<string, DirectoryNode>();
  private readonly byMediaServerId = new Map<string, string>();

  add(node: DirectoryNode): void {
    this.nodes.set(node.id, node);
    if (node.mediaServerId) this.byMediaServerId.set(node.mediaServerId, node.id);
  }

  learn(nodeId: string, mediaServerId: string): void {
    if (this.nodes.has(nodeId)) this.byMediaServerId.set(mediaServerId, nodeId);
  }

  resolve(mediaServerId: string | null): { nodeId: string; upstream: UpstreamConfig | null } {
    const known = mediaServerId ? this.byMediaServerId.get(mediaServerId) : undefined;
    const id = known ?? (this.nodes.size === 1 ? [...this.nodes.keys()][0] : mediaServerId ?? "unknown");
    return { nodeId: id, upstream: this.nodes.get(id)?.upstream ?? null };
  }
}
