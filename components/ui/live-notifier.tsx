"use client";

import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useEventStream } from "@/lib/queries/event-stream";
import { useNodesQuery } from "@/lib/queries/nodes-query";
import { eventNotices, nodeNotices, type Notice, type Reachability } from "@/lib/ui/notices";
import { useToast } from "./toaster";

/** Turns live changes into toasts: nodes down/up, restarts, finished actions, and the SSE link coming back. */
export function LiveNotifier() {
  const { t } = useTranslation();
  const toast = useToast();
  const stream = useEventStream();
  const nodes = useNodesQuery();
  const seen = useRef(new Map<string, Reachability>());
  const wasDown = useRef(false);
  const show = (n: Notice) => {
    const params = typeof n.params.outcome === "string" && n.params.outcome ? { ...n.params, outcome: t(`actions.outcomeShort.${n.params.outcome}`, { defaultValue: n.params.outcome }) } : n.params;
    toast({ tone: n.tone, title: t(`notice.${n.key}`, params), body: n.params.error ? String(n.params.error) : undefined });
  };

  useEffect(() => stream.subscribe((events) => eventNotices(events).forEach(show)));

  useEffect(() => {
    const list = nodes.data?.nodes;
    if (!list) return;
    nodeNotices(seen.current, list).forEach(show);
    for (const n of list) if (n.reachability !== "checking") seen.current.set(n.id, n.reachability);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [nodes.data]);

  useEffect(() => {
    if (stream.status === "reconnecting") wasDown.current = true;
    else if (stream.status === "live" && wasDown.current) {
      wasDown.current = false;
      toast({ tone: "success", title: t("notice.streamBack") });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stream.status]);
  return null;
}
