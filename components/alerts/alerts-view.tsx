"use client";

import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useAlertMark, useAlertsQuery, useSendTestNotification } from "@/lib/queries/alerts-query";
import type { AlertsOverview } from "@/lib/alerts/overview";
import type { AlertView } from "@/lib/alerts/types";
import { formatClock } from "@/lib/ui/format-time";

/** The alerts page: rules and channels as configured (read-only), and the alerts pending or firing now. */
export function AlertsView() {
  const { t } = useTranslation();
  const { data, isPending, error } = useAlertsQuery();
  if (isPending) return <p className="text-slate-400">{t("alerts.loading")}</p>;
  if (error) return <p role="alert" className="text-red-300">{t("alerts.error", { message: error.message })}</p>;
  return (
    <section className="space-y-6" data-testid="alerts-page">
      <header className="space-y-1">
        <h1 className="text-xl font-semibold">{t("alerts.title")}</h1>
        <p className="text-sm text-slate-400">{t("alerts.intro")}</p>
      </header>
      {data.rules.length === 0 ? <p className="text-slate-400">{t("alerts.none")}</p> : <Rules data={data} />}
      <LiveAlerts alerts={data.alerts} />
      <Channels data={data} />
    </section>
  );
}

function Rules({ data }: { data: AlertsOverview }) {
  const { t } = useTranslation();
  return (
    <div>
      <h2 className="mb-2 font-semibold">{t("alerts.rules")}</h2>
      <table className="w-full text-left text-sm" data-testid="alert-rules">
        <thead className="text-slate-400">
          <tr>
            <th>{t("alerts.col.id")}</th>
            <th>{t("alerts.col.on")}</th>
            <th>{t("alerts.col.match")}</th>
            <th>{t("alerts.col.for")}</th>
            <th>{t("alerts.col.severity")}</th>
            <th>{t("alerts.col.channels")}</th>
          </tr>
        </thead>
        <tbody>
          {data.rules.map((r) => (
            <tr key={r.id} className="border-t border-slate-800">
              <td className="py-1 font-mono">{r.name ? `${r.name} (${r.id})` : r.id}</td>
              <td>{t(`alerts.on.${r.on}`)}</td>
              <td className="font-mono text-xs">
                {r.on === "incident"
                  ? [r.kinds?.join(", ") ?? t("alerts.any"), `${t("alerts.col.node")} ${r.node}`, r.key ? `${t("alerts.col.key")} ${r.key}` : null, r.severities ? r.severities.join("/") : null].filter(Boolean).join(" · ")
                  : `${r.metric} ${r.op} ${r.threshold} · ${t("alerts.col.node")} ${r.node}`}
              </td>
              <td>{t("alerts.seconds", { n: r.forSeconds })}</td>
              <td>{r.severity ? t(`severity.${r.severity}`) : t("alerts.any")}</td>
              <td className="font-mono text-xs">{r.channels?.join(", ") ?? t("alerts.allChannels")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function LiveAlerts({ alerts }: { alerts: AlertView[] }) {
  const { t } = useTranslation();
  return (
    <div>
      <h2 className="mb-2 font-semibold">{t("alerts.live")}</h2>
      {alerts.length === 0 ? (
        <p className="text-slate-400">{t("alerts.noLive")}</p>
      ) : (
        <table className="w-full text-left text-sm" data-testid="live-alerts">
          <thead className="text-slate-400">
            <tr>
              <th>{t("alerts.col.state")}</th>
              <th>{t("alerts.col.id")}</th>
              <th>{t("alerts.col.node")}</th>
              <th>{t("alerts.col.what")}</th>
              <th>{t("alerts.col.since")}</th>
              <th>{t("alerts.col.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {alerts.map((a) => (
              <AlertRow key={a.alertId} alert={a} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function AlertRow({ alert }: { alert: AlertView }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState("");
  const mark = useAlertMark();
  const canMark = alert.state === "pending" || alert.state === "firing";
  return (
    <tr className="border-t border-slate-800 align-top">
      <td className="py-1">{t(`alerts.state.${alert.state}`)} · {t(`severity.${alert.severity}`)}</td>
      <td className="font-mono">{alert.ruleId}</td>
      <td className="font-mono">{alert.nodeId}</td>
      <td>
        <span className="font-mono text-xs">{alert.key ?? alert.kind}</span>
        <div className="text-xs text-slate-400">{alert.detail}</div>
      </td>
      <td>{formatClock(alert.firingSince ?? alert.pendingSince)}</td>
      <td>
        {canMark && (
          <div className="flex flex-wrap gap-1">
            <input className="w-32 rounded bg-slate-800 px-1" aria-label={t("alerts.reason")} placeholder={t("alerts.reason")} value={reason} onChange={(e) => setReason(e.target.value)} />
            <button className="rounded bg-slate-700 px-2" disabled={reason.trim().length < 3 || mark.isPending} onClick={() => mark.mutate({ alertId: alert.alertId, op: "acknowledge", reason })}>
              {t("alerts.acknowledge")}
            </button>
            <button className="rounded bg-slate-700 px-2" disabled={reason.trim().length < 3 || mark.isPending} onClick={() => mark.mutate({ alertId: alert.alertId, op: "silence", reason, minutes: 60 })}>
              {t("alerts.silence")}
            </button>
          </div>
        )}
        {mark.error && <p role="alert" className="text-xs text-red-300">{t("alerts.markFailed", { message: mark.error.message })}</p>}
      </td>
    </tr>
  );
}

function Channels({ data }: { data: AlertsOverview }) {
  const { t } = useTranslation();
  const test = useSendTestNotification();
  if (data.channels.length === 0) return null;
  return (
    <div>
      <h2 className="mb-2 font-semibold">{t("alerts.channels")}</h2>
      <table className="w-full text-left text-sm" data-testid="alert-channels">
        <thead className="text-slate-400">
          <tr>
            <th>{t("alerts.col.id")}</th>
            <th>{t("alerts.col.format")}</th>
            <th>{t("alerts.col.host")}</th>
            <th>{t("alerts.col.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {data.channels.map((c) => (
            <tr key={c.id} className="border-t border-slate-800">
              <td className="py-1 font-mono">{c.id}</td>
              <td>{c.format}</td>
              <td className="font-mono text-xs">{c.host}</td>
              <td>
                <button className="rounded bg-slate-700 px-2" disabled={test.isPending} onClick={() => test.mutate(c.id)}>
                  {t("alerts.sendTest")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {test.data && <p className="mt-1 text-sm text-slate-300">{t("alerts.testSent", { n: test.data.deliveryIds?.length ?? 0 })}</p>}
      {test.error && <p role="alert" className="text-sm text-red-300">{t("alerts.markFailed", { message: test.error.message })}</p>}
    </div>
  );
}
