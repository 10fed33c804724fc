/**
 * Chrome colours of the canvas timeline, from CSS variables the theme sets
 * (`--ps-canvas-*` on :root), with today's dark colours as fallback. Read
 * once and cached; `invalidateCanvasTheme()` when `data-theme` changes.
 */
export interface CanvasTheme {
  bg: string;
  gutter: string;
  label: string;
  sublabel: string;
  axis: string;
  grid: string;
  hover: string;
  now: string;
}

export const CANVAS_VARS: Record<keyof CanvasTheme, [cssVar: string, dark: string]> = {
  bg: ["--ps-canvas-bg", "#020617"],
  gutter: ["--ps-canvas-gutter", "#0b1120"],
  label: ["--ps-canvas-label", "#e2e8f0"],
  sublabel: ["--ps-canvas-sublabel", "#94a3b8"],
  axis: ["--ps-canvas-axis", "#94a3b8"],
  grid: ["--ps-canvas-grid", "rgba(148,163,184,0.12)"],
  hover: ["--ps-canvas-hover", "rgba(255,255,255,0.06)"],
  now: ["--ps-canvas-now", "#f87171"],
};

/** The theme from a variable lookup (getComputedStyle in the browser); empty values fall back to dark. */
export function themeFrom(read: (cssVar: string) => string): CanvasTheme {
  const out = {} as CanvasTheme;
  for (const [k, [v, dark]] of Object.entries(CANVAS_VARS) as [keyof CanvasTheme, [string, string]][]) out[k] = read(v).trim() || dark;
  return out;
}

let cached: CanvasTheme | null = null;

export function canvasTheme(): CanvasTheme {
  if (cached) return cached;
  if (typeof document === "undefined") return themeFrom(() => "");
  const style = getComputedStyle(document.documentElement);
  cached = themeFrom((v) => style.getPropertyValue(v));
  return cached;
}

export function invalidateCanvasTheme(): void {
  cached = null;
}
