/**
 * Which cached event-log queries a batch of live events changes: a stream
 * page's log only when one of the events is its key (or port, or node), so a
 * busy node does not make every open investigation page refetch its whole
 * history every second. Pure, tested.
 */
import type { PortscopeEvent } from "../events/types";

export interface LogParams {
  key?: string;
  node?: string;
  port?: number;
  to?: number;
}

export function logAffected(params: LogParams, batch: PortscopeEvent[]): boolean {
  return batch.some(
    (e) =>
      (params.to === undefined || e.at < params.to) &&
      (params.key === undefined || e.key === params.key) &&
      (params.node === undefined || e.nodeId === params.node) &&
      (params.port === undefined || e.port === params.port),
  );
}
