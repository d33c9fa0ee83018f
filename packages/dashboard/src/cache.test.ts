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

  it('after a database version change, serves the previous pages while it renders them again one at a time', async () => {
    let t = 0;
    let v = 'a';
    const cache = createLedgerCache({ readVersion: async () => v, ttlMs: 0, staleMs: 10_000, clock: () => t });
    let running = 0;
    let most = 0;
    const render = (page: string) => async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setImmediate(r));
      running--;
      return `${page}@${v}`;
    };
    const pages = ['one', 'two', 'three'];
    for (const p of pages) expect(await cache.get(p, render(p))).toBe(`${p}@a`);
    v = 'b';
    t = 100;
    // Every page is asked for at once: each answer is the page as it was, and the renders queue.
    expect(await Promise.all(pages.map((p) => cache.get(p, render(p))))).toEqual(['one@a', 'two@a', 'three@a']);
    await waitUntil(async () => (await cache.get('three', render('three'))) === 'three@b');
    expect(await Promise.all(pages.map((p) => cache.get(p, render(p))))).toEqual(['one@b', 'two@b', 'three@b']);
    expect(most).toBe(1);
    // Past staleMs after the change, a page still of the old version is rendered on demand.
    cache.bump();
    for (const p of pages) await cache.get(p, render(p));
    v = 'c';
    t = 200;
    await cache.version();
    t = 20_000;
    expect(await cache.get('one', render('one'))).toBe('one@c');
  });

  it('computes a page from current entries, never from stale ones, so that it is not stored as current with old contents', async () => {
    let v = 'a';
    const cache = createLedgerCache({ readVersion: async () => v, ttlMs: 0, staleMs: 10_000 });
    const views = () => cache.get('views', async () => `views@${v}`);
    const page = (name: string) => cache.get(name, async () => `${name} from ${await views()}`);
    expect(await page('overview')).toBe('overview from views@a');
    v = 'b';
    expect(await page('overview')).toBe('overview from views@a'); // stale while it renders again
    expect(await page('new page')).toBe('new page from views@b');
    await waitUntil(async () => (await page('overview')) === 'overview from views@b');
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

/** Polls a condition between turns of the event loop (the cache renders stale pages in the background). */
async function waitUntil(ok: () => Promise<boolean>, turns = 1000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (await ok()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('condition not met');
}
