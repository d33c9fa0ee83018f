/** What the server told us about when to come back. All times are absolute. */
export interface CacheHints {
  /** Cache-Control max-age in seconds (null when absent, no-cache or no-store). */
  maxAgeSeconds: number | null;
  /** Expires, corrected for the server's clock via its Date header when present. */
  expiresAt: Date | null;
  /** Retry-After (seconds or HTTP-date), resolved against `now`. */
  retryAfter: Date | null;
}

export const EMPTY_CACHE_HINTS: CacheHints = { maxAgeSeconds: null, expiresAt: null, retryAfter: null };

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

/** Reads Cache-Control max-age, Expires and Retry-After from response headers. */
export function parseCacheHints(headers: HeaderSource, now: Date): CacheHints {
  const cc = (headers.get('cache-control') ?? '').toLowerCase();
  let maxAgeSeconds: number | null = null;
  if (!/\bno-(?:cache|store)\b/.test(cc)) {
    const m = /(?:^|[,\s])max-age\s*=\s*"?(\d+)"?/.exec(cc);
    if (m) maxAgeSeconds = Number(m[1]);
  }
  let expiresAt: Date | null = null;
  const expires = parseHttpDate(headers.get('expires'));
  if (expires && maxAgeSeconds === null && !/\bno-(?:cache|store)\b/.test(cc)) {
    const serverDate = parseHttpDate(headers.get('date'));
    const offset = serverDate ? now.getTime() - serverDate.getTime() : 0;
    expiresAt = new Date(expires.getTime() + offset);
  }
  return { maxAgeSeconds, expiresAt, retryAfter: parseRetryAfter(headers.get('retry-after'), now) };
}
