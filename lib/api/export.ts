/** Event log exports for support tickets: CSV (spreadsheets) and NDJSON (tools). */
import type { PortscopeEvent } from "../events/types";

const COLUMNS = ["id", "time_utc", "at_ms", "node", "kind", "key", "port", "source", "hook_index", "payload"] as const;

function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function eventsToCsv(events: PortscopeEvent[]): string {
  const lines = [COLUMNS.join(",")];
  for (const e of events) {
    lines.push([String(e.id), new Date(e.at).toISOString(), String(e.at), e.nodeId, e.kind, e.key ?? "", e.port === null ? "" : String(e.port), e.source, e.hookIndex == null ? "" : String(e.hookIndex), JSON.stringify(e.payload)].map(csvCell).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}

export function eventsToNdjson(events: PortscopeEvent[]): string {
  return events.map((e) => JSON.stringify(e)).join("\n") + (events.length ? "\n" : "");
}
