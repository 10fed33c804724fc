/**
 * Headers on every page and API answer. Scripts stay 'self' + inline (Next's
 * streamed RSC payload and the theme boot script are inline; nonces would
 * force every page dynamic); no third-party origin anywhere. frame-ancestors
 * is the setting a kiosk embedding needs (PORTSCOPE_FRAME_ANCESTORS).
 */
export function securityHeaders(frameAncestors: string, dev = false): Record<string, string> {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join("; ");
  return {
    "content-security-policy": csp,
    "referrer-policy": "same-origin",
    "x-content-type-options": "nosniff",
    // Older browsers that ignore frame-ancestors: deny unless embedding was configured.
    ...(frameAncestors === "'none'" ? { "x-frame-options": "DENY" } : frameAncestors === "'self'" ? { "x-frame-options": "SAMEORIGIN" } : {}),
  };
}
