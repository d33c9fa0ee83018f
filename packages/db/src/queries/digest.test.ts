import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../create-db.ts';
import { createTestDb, testBackends } from '../../test/testing.ts';
import { storeFeedItems } from './articles.ts';
import {
  claimDigestSend,
  findLastDigestWindowEnd,
  listDigestArticles,
  listDigestSends,
  listDigestWeeksToRetry,
  listUnsubscribed,
  markDigestFailed,
  markDigestSending,
  markDigestSent,
  markDigestSkipped,
  recordUnsubscribe,
} from './digest.ts';
import { syncFeeds } from './feeds.ts';

const t0 = new Date('2026-11-16T00:00:00Z');
const t1 = new Date('2026-11-23T00:00:00Z');
const minutes = (n: number) => new Date(t1.getTime() + n * 60_000);
const claim = (db: Database['db'], now: Date, extra: { email?: string; week?: string; onlyExisting?: boolean } = {}) =>
  claimDigestSend(db, {
    email: extra.email ?? 'A@Example.org',
    week: extra.week ?? '2026-W47',
    windowStart: t0,
    windowEnd: t1,
    now,
    leaseMs: 60_000,
    onlyExisting: extra.onlyExisting,
  });

describe.each(testBackends)('digest send ledger on %s', (backend) => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDb(backend);
  });
  afterAll(async () => database?.close());
  beforeEach(async () => {
    await database.db.execute(sql`truncate digest_sends, unsubscribes, articles, feeds restart identity cascade`);
  });

  it('claims a row once; a sent row is never claimed again', async () => {
    const first = await claim(database.db, t1);
    expect(first).toMatchObject({ action: 'send', interrupted: false, row: { email: 'a@example.org', status: 'pending' } });
    // While the lease runs, a second process keeps off.
    expect(await claim(database.db, minutes(0.5))).toMatchObject({ action: 'skip', reason: 'in-progress' });
    await markDigestSending(database.db, first!.row.id, { messageId: '<m@x>', now: t1, leaseMs: 60_000 });
    await markDigestSent(database.db, first!.row.id, { messageId: '<m@x>', now: t1 });
    expect(await claim(database.db, minutes(10))).toMatchObject({ action: 'skip', reason: 'sent' });
    const [row] = await listDigestSends(database.db, { week: '2026-W47' });
    expect(row).toMatchObject({ status: 'sent', attempts: 1, messageId: '<m@x>', nextAttemptAt: null });
  });

  it('takes over a row whose process died mid-send once the lease has run out, and says so', async () => {
    const first = await claim(database.db, t1);
    await markDigestSending(database.db, first!.row.id, { messageId: '<m@x>', now: t1, leaseMs: 60_000 });
    expect(await claim(database.db, minutes(0.5))).toMatchObject({ action: 'skip', reason: 'in-progress' });
    expect(await listDigestWeeksToRetry(database.db, minutes(0.5))).toEqual([]);
    expect(await listDigestWeeksToRetry(database.db, minutes(2))).toEqual(['2026-W47']);
    expect(await claim(database.db, minutes(2))).toMatchObject({ action: 'send', interrupted: true, row: { attempts: 1 } });
  });

  it('waits for a failed row’s retry time, and leaves a given-up row alone', async () => {
    const first = await claim(database.db, t1);
    await markDigestFailed(database.db, first!.row.id, { error: 'smtp: 451', nextAttemptAt: minutes(5) });
    expect(await claim(database.db, minutes(1))).toMatchObject({ action: 'skip', reason: 'backoff' });
    const again = await claim(database.db, minutes(6));
    expect(again).toMatchObject({ action: 'send', row: { windowStart: t0, windowEnd: t1 } });
    await markDigestFailed(database.db, again!.row.id, { error: 'smtp: 550', nextAttemptAt: null });
    expect(await claim(database.db, minutes(600))).toMatchObject({ action: 'skip', reason: 'gave-up' });
  });

  it('finds where the next window starts from sent and skipped rows only', async () => {
    expect(await findLastDigestWindowEnd(database.db, 'a@example.org', t1)).toBeNull();
    const w46 = await claimDigestSend(database.db, {
      email: 'a@example.org',
      week: '2026-W46',
      windowStart: new Date('2026-11-09T00:00:00Z'),
      windowEnd: t0,
      now: t1,
      leaseMs: 1,
    });
    expect(await findLastDigestWindowEnd(database.db, 'a@example.org', t1)).toBeNull();
    await markDigestSkipped(database.db, w46!.row.id, { reason: 'nothing changed', now: t1 });
    expect(await findLastDigestWindowEnd(database.db, 'A@EXAMPLE.ORG', t1)).toEqual(t0);
    expect(await findLastDigestWindowEnd(database.db, 'a@example.org', new Date(t0.getTime() - 1))).toBeNull();
    expect(await findLastDigestWindowEnd(database.db, 'b@example.org', t1)).toBeNull();
  });

  it('with onlyExisting, claims nothing new', async () => {
    expect(await claim(database.db, t1, { onlyExisting: true })).toBeNull();
    expect(await listDigestSends(database.db)).toEqual([]);
  });

  it('records unsubscribes idempotently and case-insensitively', async () => {
    await recordUnsubscribe(database.db, 'Ivan@Example.org', t1);
    await recordUnsubscribe(database.db, 'ivan@example.org', t1);
    expect([...(await listUnsubscribed(database.db))]).toEqual(['ivan@example.org']);
  });

  it('lists quoted articles with their feeds', async () => {
    const [a, b] = await syncFeeds(database.db, [{ url: 'https://a.example/rss', title: 'ТАСС' }, { url: 'https://b.example/rss' }], t0);
    const item = { key: 'k1', url: 'https://a.example/1', title: '中俄贸易', titleKey: 'zhong e', publishedAt: t0 };
    const [id] = (await storeFeedItems(database.db, a!.id, [item], { nextCheckAt: t1 }, t0)).newIds;
    await storeFeedItems(database.db, b!.id, [item], { nextCheckAt: t1 }, t0);
    const rows = await listDigestArticles(database.db, [id!, 999]);
    expect(rows).toEqual([
      { id, title: '中俄贸易', url: 'https://a.example/1', publishedAt: t0, feeds: ['ТАСС', 'https://b.example/rss'] },
    ]);
  });
});
