"use client";

import { Fragment, useState } from "react";
import type { PortscopeEvent } from "@/lib/events/types";
import type { PortSession } from "@/lib/lifecycle/types";
import { formatClock } from "@/lib/ui/format-time";

/** One line an operator can read: ZLM's answer and the diagnosis for failed opens, the step for actions. */
function summary(e: PortscopeEvent): string {
  const p = e.payload as { code?: number; msg?: string; verdict?: { cause: string; title: string }; step?: string; decision?: string; outcome?: string; cause?: string };
  if (e.kind === "rtp.open_failed") return `ZLM ${p.code ?? ""} ${p.msg ?? ""}${p.verdict ? ` — (${p.verdict.cause}) ${p.verdict.title}` : ""}`;
  if (e.kind === "shield.decision") return p.decision ?? "";
  if (e.kind === "action.step") return p.step ?? "";
  if (e.kind === "action.finished") return p.outcome ?? "";
  if (e.kind === "rtp.released") return p.cause ?? "";
  return "";
}


/** Every event of a stream, to the millisecond, with its raw payload one click away. */
export function EventTable({ events, highlightSession }: { events: PortscopeEvent[]; highlightSession: PortSession | null }) {
  const [open, setOpen] = useState<number | null>(null);
  const inSession = (e: PortscopeEvent) => !!highlightSession && e.at >= highlightSession.openedAt && e.id <= highlightSession.lastEventId;
  return (
    <section aria-labelledby="events-heading">
      <h2 id="events-heading" className="mb-1 text-sm font-semibold text-slate-300">
        Events ({events.length})
      </h2>
      <table className="w-full text-left text-xs" data-testid="event-table">
        <thead className="text-slate-400">
          <tr>
            <th>#</th>
            <th>Time</th>
            <th>Kind</th>
            <th>Source</th>
            <th>Port</th>
            <th>hook_index</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <Fragment key={e.id}>
              <tr data-kind={e.kind} onClick={() => setOpen(open === e.id ? null : e.id)} className={`cursor-pointer border-t border-slate-800 ${inSession(e) ? "bg-slate-800/60" : ""}`}>
                <td className="text-slate-500">{e.id}</td>
                <td className="font-mono">{formatClock(e.at, true)}</td>
                <td>{e.kind}</td>
                <td>{e.source}</td>
                <td>{e.port ?? ""}</td>
                <td>{e.hookIndex ?? ""}</td>
                <td className={e.kind === "rtp.open_failed" ? "text-amber-300" : "text-slate-400"}>{summary(e)}</td>
              </tr>
              {open === e.id && (
                <tr>
                  <td colSpan={7}>
                    <pre className="overflow-x-auto rounded bg-slate-900 p-2 text-[11px]">{JSON.stringify(e.payload, null, 2)}</pre>
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </section>
  );
}
