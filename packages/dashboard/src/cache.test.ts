import { describe, expect, it } from 'vitest';
import { createLedgerCache } from './cache.ts';

describe('createLedgerCache', () => {
  it('serves one computation per key until the version changes, reading the version at most once per ttl', async () => {
    let t = 0;
    let v = 'a';
    let reads = 0;
    let computes = 0;
    const cache = createLedgerCache({ readVersion: async () => (reads++, v), ttlMs: 1000, clock: () => t });
    const compute = async () => ++computes;
    expect(await Promise.all([cache.get('k', compute), cache.get('k', compute)])).toEqual([1, 1]);
    expect(reads).toBe(1);
    v = 'b';
    t = 500;
    expect(await cache.get('k', compute)).toBe(1); // within the ttl: still the old version
    t = 1500;
    expect(await cache.get('k', compute)).toBe(2);
    expect(reads).toBe(2);
    expect(await cache.get('other', compute)).toBe(3);
  });

  it('forgets everything on bump, and does not keep failures', async () => {
    let computes = 0;
    const cache = createLedgerCache({ readVersion: async () => 'same', ttlMs: 60_000 });
    expect(await cache.get('k', async () => ++computes)).toBe(1);
    cache.bump();
    expect(await cache.get('k', async () => ++computes)).toBe(2);
    await expect(cache.get('bad', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cache.get('bad', async () => 'ok')).toBe('ok');
  });
});
