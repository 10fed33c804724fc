import { CSRF_COOKIE, CSRF_HEADER } from "./cookie-names";

/** The header every state-changing fetch from our pages carries: the readable CSRF cookie, copied (double submit). */
export function csrfHeaders(): Record<string, string> {
  if (typeof document === "undefined") return {};
  const hit = document.cookie.split(";").map((c) => c.trim()).find((c) => c.startsWith(`${CSRF_COOKIE}=`));
  return hit ? { [CSRF_HEADER]: decodeURIComponent(hit.slice(CSRF_COOKIE.length + 1)) } : {};
}
