import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listArticles, listFeedHealth, listLedger, listPredictions, listStandings } from '@signpost/db';
import { createTestDb, testBackends } from '@signpost/db/testing';
import { createLogger } from '@signpost/log';
import { formatCycleSummary, runCycle } from './cycle.ts';
import { loadWorkerEnv } from './env.ts';
import { readFixture, serve, startTestServer, type TestServer } from '../test/test-server.ts';
import { openRuntime, type Runtime } from './runtime.ts';

const rss = (items: string) => `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link><description>d</description>${items}</channel></rss>`;
const item = (n: number, title: string, body: string) =>
  `<item><guid isPermaLink="false">wire-${n}</guid><title>${title}</title><link>https://wire.example/${n}</link>` +
  `<pubDate>Mon, 02 Mar 2026 0${n}:00:00 GMT</pubDate><description>${body}</description></item>`;

const predictionsYaml = fs.readFileSync(path.resolve(import.meta.dirname, '../../../data/predictions.yaml'), 'utf8');

describe.each(testBackends)('a full cycle on %s', (backend) => {
  let server: TestServer;
  let runtime: Runtime;
  let dataDir: string;

  beforeAll(async () => {
    server = await startTestServer({
      '/wire.xml': serve(
        rss(
          item(
            1,
            'China refuses to join Western sanctions against Russia',
            'Beijing said on Monday it would not impose sanctions on Russia and called them unilateral.',
          ) +
            item(2, 'Local football results', 'The home team won two to one in the final minute of the match.') +
            item(
              3,
              'Russia and China hold joint naval exercises',
              'The navies of Russia and China began joint exercises in the Sea of Japan.',
            ),
        ),
        { 'content-type': 'application/rss+xml' },
      ),
      '/atom.xml': serve(readFixture('atom.xml'), { 'content-type': 'application/atom+xml' }),
      '/broken.xml': serve(readFixture('malformed.xml'), { 'content-type': 'application/xml' }),
      '/down.xml': serve('oops', { 'content-type': 'text/plain' }, 503),
    });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-cycle-'));
    fs.writeFileSync(path.join(dataDir, 'predictions.yaml'), predictionsYaml);
    fs.writeFileSync(
      path.join(dataDir, 'feeds.yaml'),
      `feeds:\n${['/wire.xml', '/atom.xml', '/broken.xml', '/down.xml'].map((p) => `  - url: ${server.url(p)}\n    title: ${p}\n`).join('')}`,
    );
    const env = loadWorkerEnv({ SIGNPOST_DATA_DIR: dataDir, SIGNPOST_ALLOW_PRIVATE_NETWORKS: '1', LOG_LEVEL: 'silent' });
    runtime = await openRuntime(env, { database: await createTestDb(backend), logger: createLogger({ level: 'silent' }) });
  });
  afterAll(async () => {
    await runtime?.close();
    await server?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('fetches every feed, stores the good ones, records why the others failed, and scores what it stored', async () => {
    const summary = await runCycle(runtime);
    expect(summary.feeds).toMatchObject({ fetched: 2, notModified: 0, failed: 2 });
    const articles = await listArticles(runtime.database.db, { limit: 500 });
    expect(summary.feeds.newArticles).toBe(articles.length);
    expect(articles.map((a) => a.title)).toContain('China refuses to join Western sanctions against Russia');

    const health = await listFeedHealth(runtime.database.db);
    const byTitle = Object.fromEntries(health.map((f) => [f.title, f]));
    expect(byTitle['/broken.xml']).toMatchObject({ status: 'error', lastErrorKind: 'parse', errorCount: 1 });
    expect(byTitle['/down.xml']).toMatchObject({ status: 'error', lastErrorKind: 'http_5xx', errorCount: 1 });
    expect(byTitle['/wire.xml']).toMatchObject({ status: 'ok', errorCount: 0, articles: 3 });

    const forecasts = await listPredictions(runtime.database.db);
    expect(summary.forecasts.added).toBe(forecasts.length);
    expect(summary.scoring).toMatchObject({ done: true, articles: articles.length, pairs: articles.length * forecasts.length });
    const ledger = await listLedger(runtime.database.db, { scorer: runtime.scorer.id });
    expect(ledger.length).toBe(summary.scoring.judgments);
    // The cycle stores every forecast's standing for the dashboard and the digest to read.
    const standings = await listStandings(runtime.database.db);
    expect(standings.size).toBe(forecasts.length);
    const counted = [...standings.values()].reduce(
      (n, s) =>
        n +
        ((s.record as { counts: { agree: number; disagree: number; discuss: number } }).counts.agree +
          (s.record as { counts: { agree: number; disagree: number; discuss: number } }).counts.disagree),
      0,
    );
    expect(counted).toBeLessThanOrEqual(ledger.filter((e) => e.stance === 'agree' || e.stance === 'disagree').length);
    expect(formatCycleSummary(summary)).toMatch(
      /^feeds: 2 fetched, 0 not modified, 2 failed; articles: \d+ new, 0 duplicate; scored: \d+ pairs/,
    );
  });

  it('on the next cycle fetches nothing that is not due, and with --all finds the good feeds unchanged', async () => {
    const idle = await runCycle(runtime);
    expect(idle.feeds).toMatchObject({ fetched: 0, notModified: 0, failed: 0 });
    expect(idle.scoring).toMatchObject({ pairs: 0, done: true });
    const all = await runCycle(runtime, { all: true });
    expect(all.feeds).toMatchObject({ fetched: 0, notModified: 2, failed: 2, newArticles: 0 });
    const down = (await listFeedHealth(runtime.database.db)).find((f) => f.title === '/down.xml');
    expect(down).toMatchObject({ errorCount: 2 });
  });

  it('keeps the last good config when a file breaks, and applies the next valid one', async () => {
    const file = path.join(dataDir, 'predictions.yaml');
    const before = (await listPredictions(runtime.database.db)).length;
    fs.writeFileSync(file, `${predictionsYaml}\n  - id: [broken\n`);
    const broken = await runCycle(runtime);
    expect(broken.configProblems).toBeGreaterThan(0);
    expect((await listPredictions(runtime.database.db)).length).toBe(before);

    fs.mkdirSync(path.join(dataDir, 'predictions.d'), { recursive: true });
    fs.writeFileSync(file, predictionsYaml);
    const firstId = (await listPredictions(runtime.database.db))[0]!.id;
    const extra = predictionsYaml.replace(/^predictions:\s*\n/m, 'predictions:\n').split(/\n(?= {2}- id: )/);
    // A new forecast in predictions.d/: the first entry of the main file under a new id.
    const entry = extra[1]!
      .replace(/^ {2}- id: .*$/m, '  - id: added-while-running')
      .replace(/\n  *(related|contradicts):(\n +- .*| \[.*\])*/g, '');
    fs.writeFileSync(path.join(dataDir, 'predictions.d', 'mine.yaml'), `predictions:\n${entry}\n`);
    const fixed = await runCycle(runtime);
    expect(fixed.configProblems).toBe(0);
    expect(fixed.forecasts.added).toBe(1);
    const ids = (await listPredictions(runtime.database.db)).map((p) => p.id);
    expect(ids).toContain('added-while-running');
    expect(ids).toContain(firstId);
    // The new forecast is judged against the archive (backfill) in the same cycle.
    expect(fixed.scoring.pairs).toBe((await listArticles(runtime.database.db, { limit: 500 })).length);
  });
});

// Issue #14: no forecast file stops feed collection. An alias bomb used to throw out of the config
// refresh, and every cycle failed before it fetched anything.
describe('a cycle whatever the forecast files hold', () => {
  let server: TestServer;
  let dataDir: string;
  const bomb = ['predictions: []', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    .concat(
      Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(', ')}]`,
      ),
    )
    .join('\n');

  beforeAll(async () => {
    server = await startTestServer({
      '/wire.xml': serve(rss(item(1, 'China refuses to join Western sanctions against Russia', 'Beijing said no.')), {
        'content-type': 'application/rss+xml',
      }),
    });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-cycle-contained-'));
    fs.writeFileSync(path.join(dataDir, 'predictions.yaml'), predictionsYaml);
    fs.writeFileSync(path.join(dataDir, 'feeds.yaml'), `feeds:\n  - url: ${server.url('/wire.xml')}\n`);
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const open = async () =>
    openRuntime(loadWorkerEnv({ SIGNPOST_DATA_DIR: dataDir, SIGNPOST_ALLOW_PRIVATE_NETWORKS: '1', LOG_LEVEL: 'silent' }), {
      database: await createTestDb('pglite'),
      logger: createLogger({ level: 'silent' }),
    });

  it('an alias bomb in predictions.d/ from the first start: feeds.yaml still applies and its feeds are fetched', async () => {
    fs.mkdirSync(path.join(dataDir, 'predictions.d'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'predictions.d', 'bomb.yaml'), bomb);
    const runtime = await open();
    try {
      const summary = await runCycle(runtime);
      expect(summary.configProblems).toBe(1);
      expect(summary.feeds).toMatchObject({ fetched: 1, failed: 0, newArticles: 1 });
      // The forecasts wait for a valid set; the feeds did not.
      expect(await listPredictions(runtime.database.db)).toEqual([]);
      expect(runtime.config.current()).toBeNull();
    } finally {
      await runtime.database.close();
      await runtime.close();
      fs.rmSync(path.join(dataDir, 'predictions.d'), { recursive: true, force: true });
    }
  });

  it('a predictions.d that cannot be listed (a file, not a folder) is reported, and the cycle goes on', async () => {
    fs.writeFileSync(path.join(dataDir, 'predictions.d'), 'not a folder');
    const runtime = await open();
    try {
      const summary = await runCycle(runtime);
      expect(summary.configProblems).toBe(1);
      expect(summary.feeds.fetched + summary.feeds.notModified).toBe(0);
      expect(summary.feeds.failed).toBe(0);
    } finally {
      await runtime.database.close();
      await runtime.close();
      fs.rmSync(path.join(dataDir, 'predictions.d'), { force: true });
    }
  });
});
