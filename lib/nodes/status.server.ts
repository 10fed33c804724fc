import "server-only";
import { createZlmClient } from "../zlm/client";
import { ZlmError } from "../zlm/errors";
import { redactSecretInUrl } from "../zlm/redact";
import { getNodes } from "./registry.server";
import type { ConfiguredNode, NodeStatus } from "./types";

/** Asks every node for its version, in parallel, with a short timeout: the online check the node list shows. */
export async function getNodeStatuses(nodes?: ConfiguredNode[]): Promise<NodeStatus[]> {
  const list = nodes ?? (await getNodes());
  return Promise.all(list.map(checkNode));
}

async function checkNode(node: ConfiguredNode): Promise<NodeStatus> {
  const client = createZlmClient({ id: node.id, url: node.url, secret: node.secret, timeoutMs: 2000 });
  const started = performance.now();
  const base = { id: node.id, label: node.label, url: redactSecretInUrl(node.url), mode: node.mode };
  try {
    const version = await client.version();
    return { ...base, online: true, version: { branchName: version.branchName, buildTime: version.buildTime, commitHash: version.commitHash }, error: null, checkedAt: Date.now(), latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    const error = err instanceof ZlmError ? { kind: err.kind, message: err.message } : { kind: "transient", message: err instanceof Error ? err.message : String(err) };
    return { ...base, online: false, version: null, error, checkedAt: Date.now(), latencyMs: null };
  }
}
