import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_SHARED_BUFFERS, createDb, initDataDirInChild, queryRows, type Database } from './create-db.ts';
import { listFeedHealth, syncFeeds } from './queries/feeds.ts';
import { pingDb } from './queries/health.ts';
import { getOrCreateSecret } from './queries/settings.ts';
import { listPredictionRevisions, listPredictions, syncPredictions } from './queries/predictions.ts';
import { createTestDb, skipPostgresReason, testBackends, testPgUrl } from '../test/testing.ts';
import { scaled } from '@signpost/testing';

if (!testPgUrl) console.warn(`db: ${skipPostgresReason}`);

describe.each(testBackends)('database on %s', (backend) => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDb(backend);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('answers a ping and has every table the migrations create', async () => {
    expect(await pingDb(database.db)).toBe(true);
    const tables = await queryRows<{ table_name: string }>(
      database.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(tables.map((r) => r.table_name)).toEqual([
      'admin_sessions',
      'article_sources',
      'articles',
      'cycle_runs',
      'digest_sends',
      'feeds',
      'judgments',
      'llm_answers',
      'llm_queue',
      'overrides',
      'prediction_revisions',
      'predictions',
      'resolution_overrides',
      'scoring_failures',
      'scoring_progress',
      'settings',
      'standings',
      'unsubscribes',
    ]);
  });

  it('syncs forecasts: adds, records rewording as a revision, retires and restores', async () => {
    const a = { id: 'a', statement: 'A holds', record: { id: 'a', statement: 'A holds', tags: ['x'] } };
    const b = { id: 'b', statement: 'B holds', record: { id: 'b', statement: 'B holds' } };
    const t0 = new Date('2026-01-01T00:00:00Z');
    expect(await syncPredictions(database.db, [a, b], t0)).toMatchObject({ added: ['a', 'b'], changed: [], retired: [] });
    expect(await syncPredictions(database.db, [a, b], t0)).toMatchObject({ added: [], unchanged: 2 });

    const reworded = { ...a, statement: 'A still holds', record: { ...a.record, statement: 'A still holds' } };
    expect(await syncPredictions(database.db, [reworded], t0)).toMatchObject({ changed: ['a'], retired: ['b'] });
    expect(await syncPredictions(database.db, [reworded, b], t0)).toMatchObject({ restored: ['b'] });

    const active = await listPredictions(database.db);
    expect(active.map((p) => [p.id, p.statement, p.revision])).toEqual([
      ['a', 'A still holds', 2],
      ['b', 'B holds', 3],
    ]);
    const history = await listPredictionRevisions(database.db, ['a', 'b']);
    expect(history.map((r) => `${r.predictionId}${r.revision}:${r.change}:${r.changedFields.join(',')}`)).toEqual([
      'a1:added:',
      'a2:changed:statement',
      'b1:added:',
      'b2:retired:',
      'b3:restored:',
    ]);
  });

  it('keeps one secret per key, created on first use', async () => {
    const a = await getOrCreateSecret(database.db, 'digest');
    expect(a).toMatch(/^[\w-]{43}$/);
    expect(await getOrCreateSecret(database.db, 'digest')).toBe(a);
    expect(await getOrCreateSecret(database.db, 'other')).not.toBe(a);
  });

  it('syncs feeds from config and deactivates removed ones', async () => {
    await syncFeeds(database.db, [
      { url: 'https://a.example/rss', title: 'A' },
      { url: 'https://b.example/rss', tags: ['ru'] },
    ]);
    const active = await syncFeeds(database.db, [{ url: 'https://b.example/rss', title: 'B', fullText: true }]);
    expect(active.map((f) => f.url)).toEqual(['https://b.example/rss']);
    const health = await listFeedHealth(database.db);
    expect(health.map((f) => [f.url, f.active, f.title, f.articles])).toEqual([
      ['https://a.example/rss', false, 'A', 0],
      ['https://b.example/rss', true, 'B', 0],
    ]);
  });
});

describe('embedded database on disk', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-db-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it(
    'creates missing folders, keeps writes across a close and reopen, and refuses a newer schema',
    async () => {
      const url = path.join(dir, 'nested/db');
      const first = await createDb(url);
      await syncPredictions(first.db, [{ id: 'kept', statement: 'S', record: { id: 'kept' } }]);
      await first.close();

      const second = await createDb(url);
      expect((await listPredictions(second.db)).map((p) => p.id)).toEqual(['kept']);
      // A migration recorded by a future version of Signpost:
      await second.db.execute(
        sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('future', ${Date.now() + 10 * 365 * 86400e3})`,
      );
      await second.close();

      await expect(createDb(url)).rejects.toThrow(/migrated by a newer Signpost/);
    },
    scaled(240_000),
  );

  it(
    'creates a new directory in a child and renames it into place: two at once leave one whole database, a stray file is refused',
    async () => {
      const url = path.join(dir, 'raced');
      fs.mkdirSync(url);
      const params = [...PGlite.defaultStartParams];
      await Promise.all([initDataDirInChild(url, params), initDataDirInChild(url, params)]);
      expect(fs.readdirSync(dir).filter((f) => f.startsWith('raced.init-'))).toEqual([]);
      const database = await createDb(url);
      await syncPredictions(database.db, [{ id: 'one', statement: 'S', record: { id: 'one' } }]);
      expect((await listPredictions(database.db)).map((p) => p.id)).toEqual(['one']);
      await database.close();

      const stray = path.join(dir, 'stray');
      fs.mkdirSync(stray);
      fs.writeFileSync(path.join(stray, 'notes.txt'), 'not a database');
      await expect(createDb(stray)).rejects.toThrow(/stray is not empty and holds no database/);
      expect(fs.readdirSync(stray)).toEqual(['notes.txt']);
    },
    scaled(240_000),
  );

  it(
    'runs with a small buffer pool unless told otherwise, and refuses a malformed size',
    async () => {
      const shown = async (options: Parameters<typeof createDb>[1]) => {
        const database = await createDb('memory://', { ...options, migrate: false });
        try {
          return (await queryRows<{ shared_buffers: string }>(database.db, sql`show shared_buffers`))[0]!.shared_buffers;
        } finally {
          await database.close();
        }
      };
      expect(await shown({})).toBe(PGLITE_SHARED_BUFFERS);
      expect(await shown({ pgliteSharedBuffers: '32MB' })).toBe('32MB');
      await expect(shown({ pgliteSharedBuffers: '16MB; drop table x' })).rejects.toThrow(/shared_buffers must be a size/);
    },
    scaled(120_000),
  );
});
