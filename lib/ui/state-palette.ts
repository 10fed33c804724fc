/**
 * One palette for lifecycle states across the app (Okabe-Ito, colour-blind
 * safe). Legend, tooltips, timeline bands and badges all read this config;
 * the colours themselves are CSS variables in app/globals.css.
 */
import type { SessionState } from "../lifecycle/types";

export interface StateStyle {
  label: string;
  cssVar: string;
  /** Fallback for canvas drawing before CSS variables are read. */
  hex: string;
}

export const STATE_STYLES: Record<SessionState, StateStyle> = {
  waiting: { label: "Waiting for media", cssVar: "--state-waiting", hex: "#e69f00" },
  receiving: { label: "Receiving", cssVar: "--state-receiving", hex: "#009e73" },
  // Okabe-Ito's blue: the one colour of the set no other state uses.
  paused: { label: "Paused (timeout check)", cssVar: "--state-paused", hex: "#0072b2" },
  media_stopped: { label: "Media stopped", cssVar: "--state-stopped", hex: "#56b4e9" },
  timed_out: { label: "Timed out", cssVar: "--state-timeout", hex: "#d55e00" },
  closed: { label: "Closed", cssVar: "--state-closed", hex: "#cc79a7" },
  released: { label: "Released", cssVar: "--state-released", hex: "#8a8f98" },
  open_failed: { label: "Open failed", cssVar: "--state-failed", hex: "#f0e442" },
};

export const STATE_ORDER: SessionState[] = ["waiting", "receiving", "paused", "media_stopped", "timed_out", "closed", "released", "open_failed"];

export type MarkerKind = "open" | "first_media" | "timeout" | "close" | "release" | "restart" | "open_failed" | "action";

/** Point markers on the timeline; `glyph` is what the canvas draws, `label` what the legend and tooltips say. */
export interface MarkerStyle {
  label: string;
  hex: string;
  glyph: string;
  /** Drawn in a chrome colour of the theme (canvas-theme.ts) instead of `hex`, which a light theme would wash out. */
  themed?: "label" | "sublabel";
}

export const MARKER_STYLES: Record<MarkerKind, MarkerStyle> = {
  open: { label: "Opened", hex: "#ffffff", glyph: "▲", themed: "label" },
  first_media: { label: "First media", hex: "#009e73", glyph: "●" },
  timeout: { label: "Timeout", hex: "#d55e00", glyph: "✕" },
  close: { label: "Closed", hex: "#cc79a7", glyph: "■" },
  release: { label: "Released", hex: "#c8ccd2", glyph: "|", themed: "sublabel" },
  restart: { label: "Released by node restart", hex: "#e69f00", glyph: "↻" },
  open_failed: { label: "Open failed", hex: "#f0e442", glyph: "!" },
  action: { label: "Operator action", hex: "#56b4e9", glyph: "◆" },
};

export const MARKER_ORDER: MarkerKind[] = ["open", "first_media", "timeout", "close", "release", "restart", "open_failed", "action"];
