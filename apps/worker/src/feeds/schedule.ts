import pLimit, { type LimitFunction } from 'p-limit';
import type { CacheHints } from './http-headers.ts';

const MINUTE = 60_000;
export const MIN_INTERVAL_MINUTES = 15;
export const MAX_INTERVAL_MINUTES = 24 * 60;
/** Step of the linear error back-off: 1 error -> 30 min, 2 -> 60 min, ... capped at 24 h. */
export const ERROR_BACKOFF_STEP_MINUTES = 30;
/** Used when nothing is known yet about how often a feed publishes. */
export const DEFAULT_INTERVAL_MINUTES = 60;
/** Lower bound for an interval configured per feed in feeds.yaml. */
export const MIN_CONFIGURED_INTERVAL_MINUTES = 5;
const JITTER = 0.1;

export interface NextCheckInput {
  now: Date;
  /** Entries the feed published in the last 7 days; null when unknown (new feed). */
  lastWeekEntries: number | null;
  /** The feed's own `<ttl>` / update period in minutes. */
  ttlMinutes?: number | null;
  /** Retry-After from the last response (absolute). */
  retryAfter?: Date | null;
  /** The freshness lifetime (Cache-Control max-age / Expires) and Retry-After of the last response. */
  cache?: CacheHints | null;
  /** Consecutive failures (0 after a success). */
  errorCount?: number;
  /** Interval configured in feeds.yaml, replacing the adaptive one. */
  intervalMinutes?: number | null;
  /** Random source in [0, 1) for jitter; defaults to Math.random. */
  random?: () => number;
}

/**
 * When to check a feed next (pure):
 * - healthy feed: about a week divided by last week's entries, clamped to [15 min, 24 h]
 *   (24 h for a feed that published nothing; 60 min when unknown), or the configured interval;
 * - failing feed: linear back-off, `errorCount` x 30 min, capped at 24 h;
 * - never sooner than the feed's ttl, Retry-After, Cache-Control max-age or Expires allow;
 * - ±10% jitter so feeds do not line up; the result always lies within 24 h, so every feed,
 *   failed ones included, is probed at least daily.
 */
export function computeNextCheck(input: NextCheckInput): Date {
  const nowMs = input.now.getTime();
  const errors = Math.max(0, input.errorCount ?? 0);
  let minutes: number;
  if (errors > 0) {
    minutes = errors * ERROR_BACKOFF_STEP_MINUTES;
  } else if (input.intervalMinutes != null && input.intervalMinutes > 0) {
    minutes = Math.max(MIN_CONFIGURED_INTERVAL_MINUTES, input.intervalMinutes);
  } else if (input.lastWeekEntries == null) {
    minutes = DEFAULT_INTERVAL_MINUTES;
  } else if (input.lastWeekEntries <= 0) {
    minutes = MAX_INTERVAL_MINUTES;
  } else {
    minutes = clamp((7 * 24 * 60) / input.lastWeekEntries, MIN_INTERVAL_MINUTES, MAX_INTERVAL_MINUTES);
  }

  // What the server or the feed asked for: a floor.
  const floors = [0];
  if (input.ttlMinutes != null && input.ttlMinutes > 0) floors.push(input.ttlMinutes);
  const retryAfter = input.retryAfter ?? input.cache?.retryAfter ?? null;
  if (retryAfter) floors.push((retryAfter.getTime() - nowMs) / MINUTE);
  if (input.cache?.freshForSeconds != null) floors.push(input.cache.freshForSeconds / 60);
  const floor = Math.min(MAX_INTERVAL_MINUTES, Math.max(...floors));

  const random = input.random ?? Math.random;
  const jittered = Math.max(minutes, floor) * (1 + (random() * 2 - 1) * JITTER);
  const finalMinutes = clamp(jittered, Math.max(floor, 1), MAX_INTERVAL_MINUTES);
  return new Date(nowMs + Math.round(finalMinutes * MINUTE));
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/**
 * A keyed limiter (p-limit per key): at most `limit` tasks run at once per key (e.g. per host), the
 * rest wait in FIFO order. Used by the cycle runner so one slow site does not get hammered or block
 * others. One lives for one cycle, so its keys are never pruned.
 */
export function createKeyedLimiter(limit: number) {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`feeds: limiter limit must be a positive integer, got ${limit}`);
  const limits = new Map<string, LimitFunction>();
  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      let forKey = limits.get(key);
      if (!forKey) limits.set(key, (forKey = pLimit(limit)));
      return forKey(task);
    },
    /** Tasks running or waiting for a key. */
    pending(key: string): number {
      const forKey = limits.get(key);
      return forKey ? forKey.activeCount + forKey.pendingCount : 0;
    },
  };
}

/** The limiter key for a URL: its host name, lower-cased (so feeds on one site share a slot). */
export function hostKey(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return url;
  }
}
