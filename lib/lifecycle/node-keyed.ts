/**
 * A two-level map, node -> key -> value. Reconciliation walks one node's
 * entries every poll (10k servers), so they are kept apart per node instead
 * of filtered out of one big map, and no composite key string is built.
 */
export class NodeKeyed<T> {
  private readonly byNode = new Map<string, Map<string, T>>();

  get(nodeId: string, key: string): T | undefined {
    return this.byNode.get(nodeId)?.get(key);
  }

  set(nodeId: string, key: string, value: T): void {
    let m = this.byNode.get(nodeId);
    if (!m) this.byNode.set(nodeId, (m = new Map()));
    m.set(key, value);
  }

  delete(nodeId: string, key: string): void {
    this.byNode.get(nodeId)?.delete(key);
  }

  /** One node's entries (live view; do not mutate while iterating elsewhere). */
  node(nodeId: string): ReadonlyMap<string, T> {
    return this.byNode.get(nodeId) ?? EMPTY;
  }

  clearNode(nodeId: string): void {
    this.byNode.delete(nodeId);
  }

  *entries(): IterableIterator<[string, string, T]> {
    for (const [nodeId, m] of this.byNode) for (const [key, v] of m) yield [nodeId, key, v];
  }

  *values(): IterableIterator<T> {
    for (const m of this.byNode.values()) yield* m.values();
  }
}

const EMPTY: ReadonlyMap<string, never> = new Map<string, never>();
