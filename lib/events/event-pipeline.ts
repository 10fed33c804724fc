import type { EventStore, NewEvent, PortscopeEvent } from "./types";
import type { EventBus } from "../live/bus";
import type { Lifecycle } from "../lifecycle/reduce";

/**
 * What ingest, actions and routes need of the log's writer, whichever log it
 * writes: `Pipeline` (one process, SQLite) or `SharedLogPipeline` (several
 * instances on one PostgreSQL). Both apply events to `lifecycle` in id order
 * and publish each committed batch on `bus` in that order.
 */
export interface EventPipeline {
  /** Reads of the log, up to what this instance's model holds. */
  readonly store: Pick<EventStore, "query" | "lastId" | "firstId">;
  readonly bus: EventBus;
  readonly lifecycle: Lifecycle;
  append(events: NewEvent[]): Promise<PortscopeEvent[]>;
  /** Derive events from the model as it is at commit time and append them in the same step. */
  appendFrom(derive: (model: Lifecycle) => NewEvent[]): Promise<PortscopeEvent[]>;
}
