// Issue #4: "A test that kills the worker in the middle of a cycle and runs again: no duplicate and
// no missing article." The real `signpost run --all` process, SIGKILLed while feeds are in flight.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, listFeedHealth, schema, type Database } from '@signpost/db';
import { testBackends } from '@signpost/db/testing';
import { scaled, waitFor } from '@signpost/testing';
import { startFeedFarm, type FeedFarm } from '../../test/feed-farm.ts';
import { createServerDatabase } from '../../test/test-database.ts';
import { ONE_FORECAST_YAML } from '../../test/test-forecasts.ts';
import { signpostNodeArgs } from '../node-flags.ts';

const workerDir = path.resolve(import.meta.dirname, '../..');
const FEEDS = 24;
const ITEMS = 20;
/** Every third feed answers slowly, so that a kill finds fetches in flight and stores half done. */
const delayMs = (i: number) => (i % 3 === 2 ? 1500 : 50);

function runProcess(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, signpostNodeArgs('run', '--all'), {
    cwd: workerDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, out: () => out, err: () => err };
}

/** What the database holds, in the terms of the fixtures. */
async function inspect(database: Database) {
  const rows = await database.db.select({ key: schema.articles.key, url: schema.articles.url }).from(schema.articles);
  const sources = await database.db.select({ feedId: schema.articleSources.feedId }).from(schema.articleSources);
  const feeds = await database.db
    .select({
      id: schema.feeds.id,
      url: schema.feeds.url,
      status: schema.feeds.status,
      leaseOwner: schema.feeds.leaseOwner,
      errorCount: schema.feeds.errorCount,
      etag: schema.feeds.etag,
    })
    .from(schema.feeds);
  return { rows, sources, feeds, health: await listFeedHealth(database.db) };
}

describe.each(testBackends)('a worker killed in the middle of a cycle (%s)', (backend) => {
  let farm: FeedFarm;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let dbUrl: string;
  let dropDatabase = async () => {};

  beforeAll(async () => {
    farm = await startFeedFarm({ feeds: FEEDS, items: ITEMS, delayMs });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-crash-'));
    fs.writeFileSync(
      path.join(dataDir, 'feeds.yaml'),
      `feeds:\n${farm.urls.map((u, i) => `  - url: ${u}\n    title: News ${i}\n`).join('')}`,
    );
    // One forecast keeps the scoring step of each run short; the feeds are what is under test.
    fs.writeFileSync(path.join(dataDir, 'predictions.yaml'), ONE_FORECAST_YAML);
    const { DATABASE_URL: _ignored, ...base } = process.env;
    env = { ...base, SIGNPOST_DATA_DIR: dataDir, SIGNPOST_ALLOW_PRIVATE_NETWORKS: '1', LOG_LEVEL: 'info', NODE_ENV: 'production' };
    dbUrl = path.join(dataDir, 'db');
    if (backend === 'postgres') {
      const server = await createServerDatabase('signpost_crash');
      dbUrl = server.url;
      env.DATABASE_URL = dbUrl;
      dropDatabase = server.drop;
    }
  });
  afterAll(async () => {
    await farm?.close();
    await dropDatabase();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'SIGKILL after some feeds are stored, then a second run: every item stored exactly once, feed states consistent',
    async () => {
      const first = runProcess(env);
      const answered = () => farm.stats.ok.reduce((s, n) => s + n, 0);
      await waitFor(() => answered() >= FEEDS / 2 || first.child.exitCode !== null, 'half of the feeds to be served', {
        timeoutMs: 90_000,
        everyMs: 10,
      });
      expect(first.child.exitCode, `the first run ended before it could be killed:\n${first.err()}`).toBeNull();
      first.child.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');

      // The state the crash left, read from a copy so that opening it cannot tidy up the original.
      let crashUrl = dbUrl;
      if (backend === 'pglite') {
        crashUrl = path.join(dataDir, 'db-after-kill');
        fs.cpSync(dbUrl, crashUrl, { recursive: true });
      }
      const crashed = await createDb(crashUrl, { migrate: false });
      let storedAtKill: number;
      try {
        const state = await inspect(crashed);
        storedAtKill = state.feeds.filter((f) => f.status === 'ok').length;
        expect(storedAtKill, 'some feeds were stored before the kill').toBeGreaterThan(0);
        expect(storedAtKill, 'some feeds were not yet stored at the kill').toBeLessThan(FEEDS);
        // One transaction per feed: a stored feed has all its items, an unstored one none.
        for (const f of state.health) expect([0, ITEMS]).toContain(f.articles);
        expect(state.rows.length).toBe(storedAtKill * ITEMS);
        // The killed run still holds leases on the feeds it had not finished.
        expect(state.feeds.filter((f) => f.leaseOwner !== null).length).toBe(FEEDS - storedAtKill);
      } finally {
        await crashed.close();
      }

      const requestsBefore = [...farm.stats.requests];
      const second = runProcess(env);
      const { code } = await second.exited;
      expect(code, second.err()).toBe(0);
      // Stored feeds answer 304 to their ETag; the rest bring exactly their items, none twice.
      const unstored = FEEDS - storedAtKill;
      expect(second.out()).toMatch(
        new RegExp(`^feeds: ${unstored} fetched, ${storedAtKill} not modified, 0 failed; articles: ${unstored * ITEMS} new, 0 duplicate;`),
      );
      // The second run took over the dead run's leases: every feed was asked for again.
      expect(farm.stats.requests.every((n, i) => n > requestsBefore[i]!)).toBe(true);

      const database = await createDb(dbUrl, { migrate: false });
      try {
        const state = await inspect(database);
        const expectedUrls = farm.feeds.flatMap((f) => f.items.map((i) => i.link)).sort();
        expect(state.rows.length).toBe(FEEDS * ITEMS);
        expect(new Set(state.rows.map((r) => r.key)).size).toBe(FEEDS * ITEMS);
        expect(state.rows.map((r) => r.url).sort()).toEqual(expectedUrls);
        expect(state.sources.length).toBe(FEEDS * ITEMS);
        for (const f of state.health) expect(f.articles, `articles of ${f.url}`).toBe(ITEMS);
        for (const f of state.feeds) {
          expect(f, f.url).toMatchObject({ status: 'ok', leaseOwner: null, errorCount: 0 });
          expect(f.etag).toMatch(/^"feed-\d+-v1"$/);
        }
      } finally {
        await database.close();
      }
    },
    scaled(240_000),
  );
});
