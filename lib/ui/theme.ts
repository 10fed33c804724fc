/**
 * Dark or light: `?theme=` wins (wall screens are set up by URL), then the
 * operator's saved choice, then the system's preference. Pure, tested; the
 * same rule runs as an inline script before first paint (no flash).
 */
export type Theme = "dark" | "light";
export const THEME_STORAGE_KEY = "portscope.theme";

export function pickTheme(search: string, saved: string | null, prefersLight: boolean): Theme {
  const fromUrl = new URLSearchParams(search).get("theme");
  if (fromUrl === "dark" || fromUrl === "light") return fromUrl;
  if (saved === "dark" || saved === "light") return saved;
  return prefersLight ? "light" : "dark";
}

/** The inline script for <head>: pickTheme's rule, self-contained. */
export const THEME_BOOT_SCRIPT = `(function(){try{var q=new URLSearchParams(location.search).get("theme");var s=localStorage.getItem("${THEME_STORAGE_KEY}");var t=q==="dark"||q==="light"?q:s==="dark"||s==="light"?s:(matchMedia("(prefers-color-scheme: light)").matches?"light":"dark");document.documentElement.dataset.theme=t;}catch(e){document.documentElement.dataset.theme="dark";}})();`;
