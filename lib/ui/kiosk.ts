/**
 * Wall-screen rotation: in kiosk mode with several nodes the overview shows
 * one node at a time, moving on every `?rotate=` seconds (30 by default,
 * 0 = stay). Pure, tested.
 */
export const DEFAULT_ROTATE_SEC = 30;

export function parseRotateSec(value: string | null): number {
  if (value === null || value === "") return DEFAULT_ROTATE_SEC;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) return 0;
  return Math.min(600, Math.max(5, Math.round(n)));
}

/** The node after `current` (the first when current is unknown or unset). */
export function nextNode(nodeIds: string[], current: string | undefined): string | undefined {
  if (nodeIds.length === 0) return undefined;
  const i = current ? nodeIds.indexOf(current) : -1;
  return nodeIds[(i + 1) % nodeIds.length];
}
