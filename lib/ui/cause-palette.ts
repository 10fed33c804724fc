/**
 * Colours and short names for the "already exists" causes (a)-(f) of
 * issue 5, plus "unknown" and failures that were not conflicts. Paul Tol's
 * muted qualitative scheme: distinguishable with colour-blindness and
 * distinct from the lifecycle palette.
 */
export const CAUSES = ["a", "b", "c", "d", "e", "f", "unknown", "other"] as const;
export type CauseKey = (typeof CAUSES)[number];

export const CAUSE_STYLES: Record<CauseKey, { hex: string; label: string }> = {
  a: { hex: "#88ccee", label: "(a) holder still waiting for media" },
  b: { hex: "#44aa99", label: "(b) close and open out of order" },
  c: { hex: "#ddcc77", label: "(c) opened twice" },
  d: { hex: "#cc6677", label: "(d) closed with another vhost/app" },
  e: { hex: "#aa4499", label: "(e) fixed-port rebind" },
  f: { hex: "#999933", label: "(f) old ZLM teardown window" },
  unknown: { hex: "#a3a3a3", label: "already exists, cause unknown" },
  other: { hex: "#882255", label: "other open errors" },
};
