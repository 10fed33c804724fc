import type { PortSession } from "@/lib/lifecycle/types";
import { STATE_STYLES } from "@/lib/ui/state-palette";
import { formatClock } from "@/lib/ui/format-time";

const t = (v: number | null) => formatClock(v);

export function SessionTable({ sessions, selected, onSelect }: { sessions: PortSession[]; selected: string | null; onSelect: (id: string) => void }) {
  return (
    <section aria-labelledby="sessions-heading">
      <h2 id="sessions-heading" className="mb-1 text-sm font-semibold text-slate-300">
        Sessions ({sessions.length})
      </h2>
      <table className="w-full text-left text-xs" data-testid="session-table">
        <thead className="text-slate-400">
          <tr>
            <th>State</th>
            <th>Node</th>
            <th>Port</th>
            <th>Opened</th>
            <th>First media</th>
            <th>Timed out</th>
            <th>Closed</th>
            <th>Released</th>
            <th>Cause</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id} onClick={() => onSelect(s.id)} className={`cursor-pointer border-t border-slate-800 ${selected === s.id ? "bg-slate-800" : ""}`} data-state={s.state} data-session-id={s.id}>
              <td>
                <span className="mr-1 inline-block h-2 w-2 rounded-full" style={{ background: STATE_STYLES[s.state].hex }} />
                {STATE_STYLES[s.state].label}
              </td>
              <td>{s.nodeId}</td>
              <td>{s.port ?? "—"}</td>
              <td>
                {t(s.openedAt)} <span className="text-slate-500">({s.openedBy})</span>
              </td>
              <td>{t(s.firstMediaAt)}</td>
              <td>{t(s.timedOutAt)}</td>
              <td>{t(s.closedAt)}</td>
              <td>
                {t(s.releasedAt)} {s.releaseConfirmedBy && <span className="text-slate-500">({s.releaseConfirmedBy})</span>}
              </td>
              <td>{s.failure ? `ZLM ${s.failure.code}: ${s.failure.msg}` : s.endCause ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
