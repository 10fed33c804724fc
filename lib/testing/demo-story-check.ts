/**
 * What the default demo raised, read from a running app: every incident (open
 * or ended) and every `demo.staged` event. Shared by the integration test and
 * bench/demo-story.ts (the 15-minute run).
 */
export interface StoryIncident {
  id: string;
  type: string;
  nodeId: string;
  key: string | null;
  state: string;
  severity: string;
  count: number;
  staged: string | null;
}

export interface StoryReport {
  staged: { kind: string; nodeId: string; key: string | null; label: string }[];
  incidents: StoryIncident[];
  open: StoryIncident[];
  unstaged: StoryIncident[];
}

/** `get` is a signed-in fetch (AppProcess.fetch): reads need a viewer at least. */
export async function readStory(appUrl: string, get: (url: string) => Promise<Response>): Promise<StoryReport> {
  const incidents = ((await (await get(`${appUrl}/api/incidents`)).json()) as { incidents: StoryIncident[] }).incidents;
  const events = ((await (await get(`${appUrl}/api/log?kind=demo.staged&limit=10000`)).json()) as { events: { nodeId: string; key: string | null; payload: { kind: string; label: string } }[] }).events;
  return {
    staged: events.map((e) => ({ kind: e.payload.kind, nodeId: e.nodeId, key: e.key, label: e.payload.label })),
    incidents,
    open: incidents.filter((i) => i.state === "open" || i.state === "acknowledged"),
    unstaged: incidents.filter((i) => i.staged === null),
  };
}

export function describeStory(r: StoryReport): string {
  const lines = [`staged ${r.staged.length}: ${r.staged.map((s) => `${s.kind}@${s.nodeId}`).join(", ")}`, `incidents ${r.incidents.length}, open ${r.open.length}, unstaged ${r.unstaged.length}`];
  for (const i of r.incidents) lines.push(`  ${i.state.padEnd(12)} ${i.severity.padEnd(8)} ${i.type} ${i.nodeId} ${i.key ?? ""} x${i.count} ${i.staged ? `staged: ${i.staged}` : "NOT STAGED"}`);
  return lines.join("\n");
}
