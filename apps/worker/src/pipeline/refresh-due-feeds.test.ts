import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimDueFeeds, createDb, listFeedHealth, releaseLeasesOf, syncFeeds, type Database } from '@signpost/db';
import { createTestDb, skipPostgresReason, testBackends, testPgUrl } from '@signpost/db/testing';
import { startFeedFarm, type FeedFarm } from '../../test/feed-farm.ts';
import { isLeaseOwnerGone } from './leases.ts';
import { refreshDueFeeds, type RefreshDueOptions } from './refresh-due-feeds.ts';
import { createServerDatabase } from '../../test/test-database.ts';

const FEEDS = 12;
const ITEMS = 5;
const base: Omit<RefreshDueOptions, 'owner'> = { all: true, concurrency: 4, perHost: 4, fetch: { allowPrivateNetworks: true } };

describe('two workers on one PostgreSQL database', () => {
  let farm: FeedFarm;
  let server: { url: string; drop(): Promise<void> } | undefined;
  let one: Database;
  let two: Database;

  beforeAll(async () => {
    if (!testPgUrl) return;
    farm = await startFeedFarm({ feeds: FEEDS, items: ITEMS, delayMs: () => 150 });
    server = await createServerDatabase('signpost_workers');
    // Separate pools: each worker has connections of its own, as two processes would.
    one = await createDb(server.url);
    two = await createDb(server.url, { migrate: false });
    await syncFeeds(
      one.db,
      farm.urls.map((url) => ({ url })),
    );
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await server?.drop();
    await farm?.close();
  });

  it.skipIf(!testPgUrl)(
    `never fetch the same feed at once, and between them fetch every feed once${testPgUrl ? '' : ` (${skipPostgresReason})`}`,
    async () => {
      for (let round = 1; round <= 3; round++) {
        const [a, b] = await Promise.all([
          refreshDueFeeds(one.db, { ...base, owner: 'worker-a:1:aa' }),
          refreshDueFeeds(two.db, { ...base, owner: 'worker-b:2:bb' }),
        ]);
        expect(a.outcomes.length + b.outcomes.length, `round ${round}`).toBe(FEEDS);
        const ids = [...a.outcomes, ...b.outcomes].map((o) => o.feedId);
        expect(new Set(ids).size).toBe(FEEDS);
        expect(farm.stats.requests, `round ${round}`).toEqual(new Array(FEEDS).fill(round));
        expect(Math.max(...farm.stats.maxInFlight)).toBe(1);
        if (round === 1) expect(a.newArticles + b.newArticles).toBe(FEEDS * ITEMS);
        else expect(a.notModified + b.notModified).toBe(FEEDS);
      }
      const health = await listFeedHealth(one.db);
      expect(health.every((f) => f.status === 'ok' && f.articles === ITEMS)).toBe(true);
    },
  );
});

describe.each(testBackends)('refreshDueFeeds on %s', (backend) => {
  let farm: FeedFarm;
  let database: Database;

  beforeAll(async () => {
    farm = await startFeedFarm({ feeds: FEEDS, items: ITEMS, delayMs: () => 20 });
    database = await createTestDb(backend);
    await syncFeeds(
      database.db,
      farm.urls.map((url) => ({ url })),
    );
  });
  afterAll(async () => {
    await database?.close();
    await farm?.close();
  });

  it('two concurrent runs with different owners in one process share the feeds without overlap', async () => {
    const [a, b] = await Promise.all([
      refreshDueFeeds(database.db, { ...base, owner: 'worker-a:1:aa' }),
      refreshDueFeeds(database.db, { ...base, owner: 'worker-b:2:bb' }),
    ]);
    expect(a.fetched + b.fetched).toBe(FEEDS);
    expect(farm.stats.requests).toEqual(new Array(FEEDS).fill(1));
    expect(Math.max(...farm.stats.maxInFlight)).toBe(1);
  });

  it('records a cycle of 304 answers (written in batches) on every feed and leaves no lease behind', async () => {
    const at = new Date(Date.now() + 60_000);
    const summary = await refreshDueFeeds(database.db, { ...base, owner: 'worker-a:1:aa', now: () => at });
    expect(summary).toMatchObject({ fetched: 0, notModified: FEEDS, failed: 0 });
    expect(farm.stats.notModified).toEqual(new Array(FEEDS).fill(1));
    const health = await listFeedHealth(database.db);
    for (const f of health) {
      expect(f).toMatchObject({ status: 'ok', errorCount: 0, lastFetchedAt: at, lastSuccessAt: at, articles: ITEMS });
      expect(f.nextCheckAt.getTime()).toBeGreaterThan(at.getTime());
    }
    // Nothing is leased any more: another worker can claim every feed at once (then gives them back).
    const claimed = await claimDueFeeds(database.db, { owner: 'probe:3:cc', all: true, now: at });
    expect(claimed).toHaveLength(FEEDS);
    await releaseLeasesOf(database.db, ['probe:3:cc']);
  });

  it('takes over leases left by a dead worker on this machine, and leaves live and remote workers’ leases alone', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const host = os.hostname();
    const owners = [`${host}:${dead}:dead01`, `${host}:${process.pid}:a11e01`, `elsewhere.example:${dead}:f00d01`];
    // Four feeds leased by the dead worker, two by a live one, two by a worker on another host.
    const leased = new Map<number, string>();
    for (const [owner, limit] of [
      [owners[0]!, 4],
      [owners[1]!, 2],
      [owners[2]!, 2],
    ] as const) {
      for (const f of await claimDueFeeds(database.db, { owner, all: true, limit, leaseMs: 3600_000 }))
        leased.set(farm.urls.indexOf(f.url), owner);
    }
    expect(leased.size).toBe(8);
    expect(isLeaseOwnerGone(owners[0]!)).toBe(true);
    expect(isLeaseOwnerGone(owners[1]!)).toBe(false);
    expect(isLeaseOwnerGone(owners[2]!)).toBe(false);

    const before = [...farm.stats.requests];
    const summary = await refreshDueFeeds(database.db, { ...base, owner: `${host}:${process.pid}:bbbbbb` });
    expect(summary.reclaimed).toBe(4);
    expect(summary.outcomes.length).toBe(FEEDS - 4);
    const fetchedNow = farm.stats.requests.map((n, i) => n - before[i]!);
    expect(fetchedNow).toEqual(farm.urls.map((_, i) => (leased.get(i) === owners[1] || leased.get(i) === owners[2] ? 0 : 1)));
  });
});
