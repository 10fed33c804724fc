"use client";

import { useQuery } from "@tanstack/react-query";
import { queryKeys } from "@/lib/queries/keys";

const HOOKS = ["on_rtp_server_timeout", "on_stream_changed", "on_publish", "on_play", "on_stream_none_reader", "on_stream_not_found", "on_flow_report", "on_send_rtp_stopped", "on_server_started", "on_server_exited", "on_server_keepalive"];

/** Empty state: how to point ZLM's hooks at this install (the token itself stays in the server's config). */
export function ConnectZlm() {
  const health = useQuery({
    queryKey: queryKeys.health.all(),
    queryFn: async ({ signal }) => (await (await fetch("/api/health", { signal })).json()) as { zlmListenerPort: number | null },
  });
  const host = typeof window === "undefined" ? "portscope-host" : window.location.hostname;
  const base = health.data?.zlmListenerPort ? `http://${host}:${health.data.zlmListenerPort}` : typeof window === "undefined" ? "" : window.location.origin;
  return (
    <section className="rounded-lg border border-dashed border-slate-700 p-4 text-sm" data-testid="connect-zlm">
      <h2 className="font-semibold">No RTP server seen yet</h2>
      <p className="mt-1 text-slate-400">Portscope polls the node every few seconds; for live detail, set these in ZLM&apos;s config.ini and restart it:</p>
      <pre className="mt-2 overflow-x-auto rounded bg-slate-900 p-2 text-xs">
        {["[hook]", "enable=1", ...HOOKS.map((h) => `${h}=${base}/api/hooks/${h}?token=<PORTSCOPE_HOOK_TOKEN>`)].join("\n")}
      </pre>
    </section>
  );
}
