"use client";

import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { PortSession } from "@/lib/lifecycle/types";
import { useSessionEventsQuery } from "@/lib/queries/session-events-query";
import { formatClock } from "@/lib/ui/format-time";
import { eventsNear, type Marker } from "@/lib/ui/session-bands";
import { MARKER_STYLES, STATE_STYLES } from "@/lib/ui/state-palette";
import { stateAt } from "@/lib/lifecycle/state-at";

/** Hovering is not asking: fetch a session's events only once the pointer rests on it. */
const FETCH_AFTER_MS = 200;

function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

interface Props {
  session: PortSession;
  marker: Marker | null;
  /** The time under the pointer. */
  at: number;
  now: number;
  left: number;
  top: number;
}

/** The session under the pointer, the mark nearest it, and the raw events of that session around the pointer's time. */
export function SessionTooltip({ session: s, marker, at, now, left, top }: Props) {
  const { t } = useTranslation();
  const settled = useSettled(s, FETCH_AFTER_MS);
  const events = useSessionEventsQuery(settled.id === s.id ? settled : null);
  const near = events.data ? eventsNear(events.data.events, marker?.at ?? at) : [];
  const shown = (s.releasedAt === null ? stateAt(s, now) : null) ?? s.state;
  const rejected = marker?.kind === "open_failed" ? s.rejectedOpens?.find((r) => r.at === marker.at) : undefined;
  const row = (label: string, v: number | null, extra = "") => (
    <>
      <dt>{label}</dt>
      <dd>
        {formatClock(v, true)} {extra}
      </dd>
    </>
  );
  return (
    <div className="pointer-events-none absolute z-10 w-80 rounded border border-slate-700 bg-slate-900 p-2 text-xs text-slate-100 shadow-lg" style={{ left, top }} role="tooltip" data-testid="timeline-tooltip" data-session-id={s.id}>
      <div className="font-mono">{s.key}</div>
      <div className="mt-1 flex items-center gap-2">
        <span className="inline-block h-2 w-2 rounded-full" style={{ background: STATE_STYLES[shown].hex }} />
        {t(`state.${shown}`)} · {t("timelineView.tip.port")} {s.port ?? "?"} · {s.nodeId}
      </div>
      {marker && (
        <div className="mt-1 font-semibold" data-testid="timeline-tooltip-marker" data-kind={marker.kind}>
          {marker.label ?? MARKER_STYLES[marker.kind].glyph} {t(`timelineView.marker.${marker.kind}`)} {formatClock(marker.at, true)}
          {marker.detail && <div className="font-normal text-slate-300">{marker.detail}</div>}
        </div>
      )}
      <dl className="mt-1 grid grid-cols-2 gap-x-2 text-slate-300">
        {row(`${t("timelineView.tip.opened")} (${s.openedBy})`, s.openedAt)}
        {row(t("timelineView.tip.firstMedia"), s.firstMediaAt)}
        {(s.pauses ?? []).map((p, i) => (
          <Pause key={i} label={t("timelineView.tip.paused")} from={p.from} to={p.to ?? (p.until <= now ? p.until : null)} until={p.until} />
        ))}
        {row(t("timelineView.tip.timedOut"), s.timedOutAt)}
        {row(t("timelineView.tip.closed"), s.closedAt)}
        {row(t("timelineView.tip.released"), s.releasedAt, s.releaseConfirmedBy ? `(${s.releaseConfirmedBy})` : "")}
      </dl>
      {rejected && <Failure code={rejected.code} msg={rejected.msg} verdict={rejected.verdict} fixLabel={t("timelineView.tip.fix")} />}
      {s.failure && <Failure code={s.failure.code} msg={s.failure.msg} verdict={s.failure.verdict ?? null} fixLabel={t("timelineView.tip.fix")} />}
      {s.endCause && (
        <div className="mt-1 text-slate-400">
          {t("timelineView.tip.ended")}: {s.endCause}
        </div>
      )}
      {(s.actions ?? []).length > 0 && (
        <div className="mt-1">
          <div className="text-slate-400">{t("timelineView.tip.actions")}</div>
          {s.actions!.map((a) => (
            <div key={a.actionId} className={a.ok === false ? "text-amber-300" : "text-sky-300"}>
              {formatClock(a.at)} {a.action} → {a.outcome ?? "…"} {a.reason ? `“${a.reason}”` : ""}{a.by ? ` — ${a.by}` : ""}
            </div>
          ))}
        </div>
      )}
      <div className="mt-1 border-t border-slate-700 pt-1">
        <div className="text-slate-400">{t("timelineView.tip.events", { time: formatClock(marker?.at ?? at, true) })}</div>
        {events.isLoading || settled.id !== s.id ? (
          <div className="text-slate-400">{t("timelineView.tip.loading")}</div>
        ) : near.length === 0 ? (
          <div className="text-slate-400">{t("timelineView.tip.noEvents")}</div>
        ) : (
          <ul data-testid="timeline-tooltip-events">
            {near.map((e) => (
              <li key={e.id} data-kind={e.kind} className="flex gap-2 font-mono">
                <span className="text-slate-400">{formatClock(e.at, true)}</span>
                <span>{e.kind}</span>
                <span className="text-slate-400">{e.source}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="mt-1 text-slate-400">{t("timelineView.tip.clickHint")}</div>
    </div>
  );
}

/** A pause still running shows when ZLM will resume checking by itself. */
function Pause({ label, from, to, until }: { label: string; from: number; to: number | null; until: number }) {
  return (
    <>
      <dt style={{ color: STATE_STYLES.paused.hex }}>{label}</dt>
      <dd>
        {formatClock(from, true)} – {to === null ? `… ≤ ${formatClock(until)}` : formatClock(to)}
      </dd>
    </>
  );
}

function Failure({ code, msg, verdict, fixLabel }: { code: number | null; msg: string | null; verdict: { cause: string; title: string; fix: string } | null; fixLabel: string }) {
  return (
    <div className="mt-1 text-amber-300" data-testid="timeline-tooltip-verdict" data-cause={verdict?.cause ?? ""}>
      ZLM {code}: {msg}
      {verdict && (
        <>
          <div className="font-semibold">
            ({verdict.cause}) {verdict.title}
          </div>
          <div className="text-amber-200">
            {fixLabel}: {verdict.fix}
          </div>
        </>
      )}
    </div>
  );
}
