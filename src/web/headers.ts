/**
 * The security headers every answer of the app carries, pages, JSON, images and errors alike.
 * The policy allows no inline script or style at all (the one script and the stylesheets are files
 * under /assets), no framing, forms only to this app, and no content-type sniffing.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};
