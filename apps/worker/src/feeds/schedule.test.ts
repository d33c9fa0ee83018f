import { describe, expect, it } from 'vitest';
import { parseCacheHints } from './http-headers.ts';
import { computeNextCheck, createKeyedLimiter, hostKey } from './schedule.ts';

const now = new Date('2026-11-10T10:00:00Z');
const mid = () => 0.5; // no jitter
const minutesUntil = (d: Date) => (d.getTime() - now.getTime()) / 60_000;

describe('computeNextCheck', () => {
  it('adapts to how often the feed publishes, clamped to [15 min, 24 h]', () => {
    expect(minutesUntil(computeNextCheck({ now, lastWeekEntries: 168, random: mid }))).toBe(60);
    expect(minutesUntil(computeNextCheck({ now, lastWeekEntries: 7, random: mid }))).toBe(1440);
    expect(minutesUntil(computeNextCheck({ now, lastWeekEntries: 14, random: mid }))).toBe(720);
    expect(minutesUntil(computeNextCheck({ now, lastWeekEntries: 5000, random: mid }))).toBe(15);
    expect(minutesUntil(computeNextCheck({ now, lastWeekEntries: 0, random: mid }))).toBe(1440);
    expect(minutesUntil(computeNextCheck({ now, lastWeekEntries: null, random: mid }))).toBe(60);
  });

  it('honours a configured interval', () => {
    expect(minutesUntil(computeNextCheck({ now, lastWeekEntries: 1000, intervalMinutes: 120, random: mid }))).toBe(120);
    expect(minutesUntil(computeNextCheck({ now, lastWeekEntries: 1000, intervalMinutes: 1, random: mid }))).toBe(5);
  });

  it('never goes sooner than ttl, Retry-After, max-age or Expires allow (up to 24 h)', () => {
    expect(minutesUntil(computeNextCheck({ now, lastWeekEntries: 5000, ttlMinutes: 90, random: mid }))).toBe(90);
    const retryAfter = new Date(now.getTime() + 3 * 3600_000);
    expect(minutesUntil(computeNextCheck({ now, lastWeekEntries: 5000, retryAfter, random: mid }))).toBe(180);
    const maxAge = parseCacheHints(new Headers({ 'cache-control': 'public, max-age=7200' }), now);
    expect(minutesUntil(computeNextCheck({ now, lastWeekEntries: 5000, cache: maxAge, random: mid }))).toBe(120);
    const expires = parseCacheHints(new Headers({ expires: 'Tue, 10 Nov 2026 15:00:00 GMT', date: 'Tue, 10 Nov 2026 10:00:00 GMT' }), now);
    expect(minutesUntil(computeNextCheck({ now, lastWeekEntries: 5000, cache: expires, random: mid }))).toBe(300);
    const huge = parseCacheHints(new Headers({ 'cache-control': 'max-age=31536000' }), now);
    expect(minutesUntil(computeNextCheck({ now, lastWeekEntries: 5000, cache: huge, random: mid }))).toBe(1440);
  });

  it('jitters by at most 10% and never below the floor', () => {
    const lo = minutesUntil(computeNextCheck({ now, lastWeekEntries: 168, random: () => 0 }));
    const hi = minutesUntil(computeNextCheck({ now, lastWeekEntries: 168, random: () => 0.999999 }));
    expect(lo).toBe(54);
    expect(hi).toBeCloseTo(66, 3);
    const floored = minutesUntil(computeNextCheck({ now, lastWeekEntries: 5000, ttlMinutes: 60, random: () => 0 }));
    expect(floored).toBe(60);
  });

  it('backs off linearly on errors up to 24 h, honouring Retry-After', () => {
    const after = (errorCount: number) => minutesUntil(computeNextCheck({ now, lastWeekEntries: 168, errorCount, random: mid }));
    expect([1, 2, 3, 10].map(after)).toEqual([30, 60, 90, 300]);
    expect(after(48)).toBe(1440);
    expect(after(1000)).toBe(1440);
    const retryAfter = new Date(now.getTime() + 7200_000);
    expect(minutesUntil(computeNextCheck({ now, lastWeekEntries: 168, errorCount: 1, retryAfter, random: mid }))).toBe(120);
    const farRetry = new Date(now.getTime() + 7 * 86400_000);
    expect(minutesUntil(computeNextCheck({ now, lastWeekEntries: 168, errorCount: 1, retryAfter: farRetry, random: mid }))).toBe(1440);
  });
});

describe('parseCacheHints', () => {
  it('ignores max-age with no-cache/no-store and corrects Expires for server clock skew', () => {
    expect(parseCacheHints(new Headers({ 'cache-control': 'no-cache, max-age=600' }), now).freshForSeconds).toBeNull();
    expect(parseCacheHints(new Headers({ 'cache-control': 'no-store, max-age=600' }), now).freshForSeconds).toBeNull();
    expect(
      parseCacheHints(new Headers({ 'cache-control': 'public, max-age=600', expires: 'Tue, 10 Nov 2026 15:00:00 GMT' }), now)
        .freshForSeconds,
    ).toBe(600);
    // The server's clock is an hour ahead of ours: Expires counts from its Date, so one hour fresh.
    const skewed = parseCacheHints(new Headers({ expires: 'Tue, 10 Nov 2026 12:00:00 GMT', date: 'Tue, 10 Nov 2026 11:00:00 GMT' }), now);
    expect(skewed.freshForSeconds).toBe(3600);
    // Last-Modified alone gives no heuristic freshness: only what the server said counts.
    expect(
      parseCacheHints(new Headers({ 'last-modified': 'Tue, 01 Sep 2026 00:00:00 GMT', date: 'Tue, 10 Nov 2026 10:00:00 GMT' }), now)
        .freshForSeconds,
    ).toBeNull();
    expect(parseCacheHints(new Headers({ 'retry-after': '60' }), now).retryAfter?.toISOString()).toBe('2026-11-10T10:01:00.000Z');
  });
});

describe('createKeyedLimiter', () => {
  it('limits concurrency per key and runs other keys freely, in FIFO order', async () => {
    const limiter = createKeyedLimiter(2);
    const running = new Map<string, number>();
    const peak = new Map<string, number>();
    const order: string[] = [];
    const task = (key: string, id: string) =>
      limiter.run(key, async () => {
        running.set(key, (running.get(key) ?? 0) + 1);
        peak.set(key, Math.max(peak.get(key) ?? 0, running.get(key)!));
        await new Promise((r) => setTimeout(r, 10));
        order.push(id);
        running.set(key, running.get(key)! - 1);
        return id;
      });
    const results = await Promise.all([
      ...['a1', 'a2', 'a3', 'a4', 'a5'].map((id) => task('a.example', id)),
      ...['b1', 'b2'].map((id) => task('b.example', id)),
    ]);
    expect(results).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'b1', 'b2']);
    expect(peak.get('a.example')).toBe(2);
    expect(peak.get('b.example')).toBe(2);
    expect(order.filter((x) => x.startsWith('a'))).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(limiter.pending('a.example')).toBe(0);
  });

  it('releases the slot when a task throws', async () => {
    const limiter = createKeyedLimiter(1);
    await expect(limiter.run('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run('k', async () => 'ok')).resolves.toBe('ok');
    expect(() => createKeyedLimiter(0)).toThrow(/^feeds: /);
  });

  it('hostKey groups by host name', () => {
    expect(hostKey('https://TASS.com/rss/v2.xml')).toBe(hostKey('https://tass.com/other'));
  });
});
