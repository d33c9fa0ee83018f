/**
 * The security headers every response carries (docs/dashboard.md, "Security"): hono's
 * secure-headers defaults with this app's CSP, X-Frame-Options and Referrer-Policy, written out once.
 * Pages sent whole from the cache (`sendBytes`) carry them in the one plain header object they are
 * built with; every other response gets them from `setSecurityHeaders`. Setting a dozen headers one
 * by one on each cached page view, and validating them again, was a fifth of its server time.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  // Same-origin requests keep their Origin (needed by the CSRF checks); other sites get nothing.
  'referrer-policy': 'same-origin',
  'strict-transport-security': 'max-age=15552000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'DENY',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

/** Adds SECURITY_HEADERS to the response (for responses not built with them). */
export function setSecurityHeaders(res: Response): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.headers.set(name, value);
}

/** Whether an If-None-Match header names this tag (weak or strong alike, as hono's etag compares). */
export function etagMatches(etag: string, ifNoneMatch: string | undefined): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const tag = etag.replace(/^W\//, '');
  return (ifNoneMatch.match(/"[^"]*"/g) ?? []).some((t) => t === tag);
}
