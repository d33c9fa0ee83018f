import CachePolicy from 'http-cache-semantics';

/** What the server told us about when to come back. */
export interface CacheHints {
  /**
   * How long the response stays fresh, in seconds, as http-cache-semantics reads Cache-Control
   * max-age or Expires (against the server's own Date, so its clock skew does not count); null when
   * the server gave none, or said no-cache or no-store.
   */
  freshForSeconds: number | null;
  /** Retry-After (seconds or HTTP-date), resolved against `now`. */
  retryAfter: Date | null;
}

export const EMPTY_CACHE_HINTS: CacheHints = { freshForSeconds: null, retryAfter: null };

interface HeaderSource {
  get(name: string): string | null;
}

/** Parses an HTTP-date (RFC 9110: IMF-fixdate, and the obsolete RFC 850 / asctime forms Date.parse reads). */
export function parseHttpDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const t = Date.parse(value.trim());
  return Number.isFinite(t) ? new Date(t) : null;
}

/** Retry-After as an absolute time: delta-seconds are added to `now`; an HTTP-date is taken as is. */
export function parseRetryAfter(value: string | null | undefined, now: Date): Date | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return new Date(now.getTime() + Number(v) * 1000);
  return parseHttpDate(v);
}

/** The response headers http-cache-semantics reads for a freshness lifetime. */
const FRESHNESS_HEADERS = ['cache-control', 'expires', 'date', 'pragma', 'last-modified'] as const;

/** Reads the freshness lifetime (Cache-Control max-age, Expires) and Retry-After from response headers. */
export function parseCacheHints(headers: HeaderSource, now: Date): CacheHints {
  const response: Record<string, string> = {};
  for (const name of FRESHNESS_HEADERS) {
    const value = headers.get(name);
    if (value !== null) response[name] = value;
  }
  // A private cache of a GET. The status is 200 even for a 304: its headers renew the stored
  // response's freshness. No heuristic freshness from Last-Modified: only what the server said.
  const policy = new CachePolicy(
    { method: 'GET', url: '/', headers: {} },
    { status: 200, headers: response },
    { shared: false, cacheHeuristic: 0, immutableMinTimeToLive: 0 },
  );
  const fresh = policy.maxAge();
  return { freshForSeconds: fresh > 0 ? fresh : null, retryAfter: parseRetryAfter(headers.get('retry-after'), now) };
}
