// Issue #8, PostgreSQL scale-out: "two or more worker processes and two dashboard processes against
// one PostgreSQL, started by the test; every feed fetched once per due time, every article scored
// once per scorer version." Real processes (`signpost start --no-dashboard`, `signpost serve`),
// a real server, a local feed farm that counts every request.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { createDb, schema, syncPredictions, withScoringClaims, type Database } from '@signpost/db';
import { skipPostgresReason, testPgUrl } from '@signpost/db/testing';
import { scaled, waitFor as waitUntil } from '@signpost/testing';
import { createScorer } from '@signpost/scoring';
import { startFeedFarm, type FeedFarm } from '../../test/feed-farm.ts';
import { createServerDatabase } from '../../test/test-database.ts';
import { signpostNodeArgs } from '../node-flags.ts';

const workerDir = path.resolve(import.meta.dirname, '../..');
const repoData = path.resolve(workerDir, '../../data');
const WORKERS = 3;
const DASHBOARDS = 2;
const FEEDS = 24;
const ITEMS = 25;
const FORECASTS = 6;
/** Due times after the first one (when every new feed is due). */
const ROUNDS = 2;
const skipNote = testPgUrl ? '' : ` (${skipPostgresReason})`;

interface Proc {
  name: string;
  child: ChildProcess;
  lines: Record<string, unknown>[];
  log: () => string;
  exited: Promise<number | null>;
}

/** Spawns a Signpost process (workers with the flags `npm start` gives them) and collects its JSON log lines (stderr). */
function spawnProcess(name: string, cwd: string, args: string[], env: NodeJS.ProcessEnv): Proc {
  const [script = '', ...rest] = args;
  const argv = script.endsWith('cli.ts') ? signpostNodeArgs(...rest) : ['--import', 'tsx', ...args];
  const child = spawn(process.execPath, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  let partial = '';
  const lines: Record<string, unknown>[] = [];
  child.stderr!.on('data', (chunk: Buffer) => {
    log += chunk;
    partial += chunk;
    const complete = partial.split('\n');
    partial = complete.pop()!;
    for (const line of complete) if (line.startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { name, child, lines, log: () => log, exited };
}

/** Polls `condition` until it holds; fails naming `what` after 45 s on a quiet machine (scaled). */
const waitFor = (condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 45_000) =>
  waitUntil(condition, `scale-out test: ${what}`, { timeoutMs, everyMs: 100 });

/** Cycles each worker has finished so far. */
const cyclesDone = (procs: Proc[]) => procs.map((p) => p.lines.filter((l) => String(l.msg).startsWith('cycle done')).length);

/** A few forecasts of the repository's own file, without cross-references to the ones left out. */
function someForecasts(count: number): string {
  const doc = YAML.parse(fs.readFileSync(path.join(repoData, 'predictions.yaml'), 'utf8')) as { predictions: Record<string, unknown>[] };
  const picked = doc.predictions.slice(0, count).map(({ related: _r, contradicts: _c, ...p }) => p);
  return YAML.stringify({ predictions: picked });
}

interface CycleLine {
  owner: string;
  summary: { feeds: { fetched: number; notModified: number; failed: number }; scoring: { pairs: number; batches: number; busy: number } };
}

describe('several workers and dashboards on one PostgreSQL', () => {
  let farm: FeedFarm;
  let dataDir: string;
  let server: { url: string; drop(): Promise<void> } | undefined;
  let database: Database;
  const workers: Proc[] = [];
  const dashboards: Proc[] = [];
  const dashboardUrls: string[] = [];

  beforeAll(async () => {
    if (!testPgUrl) return;
    // Every third feed answers slowly, so that fetching overlaps the workers' cron ticks.
    farm = await startFeedFarm({ feeds: FEEDS, items: ITEMS, delayMs: (i) => (i % 3 === 0 ? 400 : 30) });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-scale-'));
    fs.writeFileSync(
      path.join(dataDir, 'feeds.yaml'),
      `feeds:\n${farm.urls.map((u, i) => `  - url: ${u}\n    title: News ${i}\n`).join('')}`,
    );
    fs.writeFileSync(path.join(dataDir, 'predictions.yaml'), someForecasts(FORECASTS));
    server = await createServerDatabase('signpost_scale');
    database = await createDb(server.url); // migrated once here; the processes find it current
    const { DATABASE_URL: _ignored, TEST_PG_URL: _t, ...base } = process.env;
    const env = {
      ...base,
      DATABASE_URL: server.url,
      SIGNPOST_DATA_DIR: dataDir,
      SIGNPOST_ALLOW_PRIVATE_NETWORKS: '1',
      // A cycle every 2 s in every worker: they all tick at the same moments and compete.
      SIGNPOST_CYCLE_CRON: '*/2 * * * * *',
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
    };
    for (let i = 0; i < WORKERS; i++) workers.push(spawnProcess(`worker ${i}`, workerDir, ['src/cli.ts', 'start', '--no-dashboard'], env));
    for (let i = 0; i < DASHBOARDS; i++) dashboards.push(spawnProcess(`dashboard ${i}`, workerDir, ['src/cli.ts', 'serve'], env));
    for (const d of dashboards) {
      await waitFor(() => d.lines.some((l) => l.msg === 'dashboard listening') || d.child.exitCode !== null, `${d.name} to listen`);
      const listening = d.lines.find((l) => l.msg === 'dashboard listening');
      if (!listening) throw new Error(`${d.name} exited:\n${d.log()}`);
      dashboardUrls.push(String(listening.url));
    }
  }, scaled(90_000));

  afterAll(async () => {
    for (const p of [...workers, ...dashboards]) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await database?.close();
    await server?.drop();
    await farm?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Feeds that are due, leased, or not yet past a due time: the rounds wait for none. */
  const feedsPending = async (dueAt: Date) => {
    const rows = await database.db.select({ next: schema.feeds.nextCheckAt, lease: schema.feeds.leaseOwner }).from(schema.feeds);
    return rows.length !== FEEDS || rows.some((r) => r.lease !== null || r.next.getTime() <= dueAt.getTime());
  };

  it.skipIf(!testPgUrl)(
    `${WORKERS} workers fetch each feed once per due time and score each (forecast, article) once; ${DASHBOARDS} dashboards serve the same data${skipNote}`,
    async () => {
      const scorer = createScorer().id;
      // Due time 0: feeds.yaml is synced and every new feed is due at once.
      let dueAt = new Date();
      await waitFor(
        async () => farm.stats.requests.every((n) => n >= 1) && !(await feedsPending(dueAt)),
        'the first due time to be served',
      );
      expect(farm.stats.requests, 'fetches per feed after due time 0').toEqual(new Array(FEEDS).fill(1));

      // Further due times: the test makes every feed due now, as the clock would.
      for (let round = 1; round <= ROUNDS; round++) {
        dueAt = new Date();
        await database.db.update(schema.feeds).set({ nextCheckAt: dueAt });
        await waitFor(
          async () => farm.stats.requests.every((n) => n > round) && !(await feedsPending(dueAt)),
          `due time ${round} to be served`,
        );
        // Two more cycles in every worker: a feed fetched twice would show now.
        const before = cyclesDone(workers);
        await waitFor(
          () => cyclesDone(workers).every((n, i) => n >= before[i]! + 2),
          `two more cycles in every worker after due time ${round}`,
        );
        expect(farm.stats.requests, `fetches per feed after due time ${round}`).toEqual(new Array(FEEDS).fill(round + 1));
        expect(farm.stats.notModified, `304s after due time ${round}`).toEqual(new Array(FEEDS).fill(round));
      }
      expect(Math.max(...farm.stats.maxInFlight), 'a feed fetched by two workers at once').toBe(1);

      // Scoring: wait until every forecast's watermark has reached the newest article.
      const ids = (await database.db.select({ id: schema.articles.id }).from(schema.articles)).map((a) => a.id);
      expect(ids.length).toBe(FEEDS * ITEMS);
      const newest = Math.max(...ids);
      await waitFor(async () => {
        const rows = await database.db.select().from(schema.scoringProgress);
        return rows.filter((r) => r.scorer === scorer && r.throughArticleId === newest).length === FORECASTS;
      }, 'every forecast to be scored through the newest article');

      // Both dashboards answer, with the same data, while the workers run.
      const fetchBoth = async (route: string) =>
        Promise.all(
          dashboardUrls.map(async (u) => {
            const res = await fetch(`${u}${route}`);
            expect(res.status, `${u}${route}`).toBe(200);
            return res.text();
          }),
        );
      for (const body of await fetchBoth('/healthz')) expect(JSON.parse(body)).toMatchObject({ ok: true });
      const [apiA, apiB] = (await fetchBoth('/api/predictions')).map(
        (b) => JSON.parse(b) as { id: string; counts: Record<string, number> }[],
      );
      expect(apiA!.map((p) => p.id).sort()).toHaveLength(FORECASTS);
      expect(apiB).toEqual(apiA);
      const [feedsA, feedsB] = (await fetchBoth('/api/feeds')).map((b) => JSON.parse(b) as { articles: number }[]);
      expect(feedsA!.map((f) => f.articles)).toEqual(new Array(FEEDS).fill(ITEMS));
      expect(feedsB).toEqual(feedsA);
      const pages = await fetchBoth('/');
      for (const page of pages) for (const p of apiA!) expect(page).toContain(`href="/predictions/${p.id}"`);

      // Stop the workers cleanly: each logs its last cycle before it exits.
      for (const w of workers) w.child.kill('SIGTERM');
      for (const w of workers) expect(await w.exited, `${w.name}:\n${w.log()}`).toBe(0);
      const cycles = workers.map((w) => w.lines.filter((l) => String(l.msg).startsWith('cycle done')) as unknown as CycleLine[]);
      const perWorker = cycles.map((lines) => ({
        cycles: lines.length,
        feeds: lines.reduce((s, l) => s + l.summary.feeds.fetched + l.summary.feeds.notModified + l.summary.feeds.failed, 0),
        pairs: lines.reduce((s, l) => s + l.summary.scoring.pairs, 0),
        batches: lines.reduce((s, l) => s + l.summary.scoring.batches, 0),
        busy: lines.filter((l) => l.summary.scoring.busy > 0).length,
      }));
      console.log(`scale-out: per worker ${JSON.stringify(perWorker)}; requests per feed ${JSON.stringify(farm.stats.requests)}`);
      for (const c of cycles) expect(c.length, 'every worker ran cycles').toBeGreaterThan(0);
      // The workers' own accounts agree with the feed server: FEEDS x due times fetches in all.
      expect(perWorker.reduce((s, w) => s + w.feeds, 0)).toBe(FEEDS * (ROUNDS + 1));
      // Each (forecast, article) pair judged exactly once across all workers: a pair scored twice
      // would make the sum larger, a pair never scored would have held the watermarks back.
      expect(
        perWorker.reduce((s, w) => s + w.pairs, 0),
        'pairs scored, all workers together',
      ).toBe(FORECASTS * FEEDS * ITEMS);
      const judged = await database.db.select().from(schema.judgments);
      const keys = judged.map((j) => `${j.articleId} ${j.predictionId} ${j.scorer} ${j.claimHash}`);
      expect(judged.length).toBeGreaterThan(0);
      expect(new Set(keys).size, 'judgments stored twice').toBe(keys.length);

      // The dashboards still answer with the workers gone, and agree.
      const [after1, after2] = await fetchBoth('/api/predictions');
      expect(after1).toBe(after2);
      for (const d of dashboards) d.child.kill('SIGTERM');
      for (const d of dashboards) expect(await d.exited, d.log()).toBe(0);
    },
    scaled(150_000),
  );
});

describe('scoring claims on PostgreSQL', () => {
  it.skipIf(!testPgUrl)(`a scoring batch holds its forecasts: a second worker skips them until it commits${skipNote}`, async () => {
    const scratch = await createServerDatabase('signpost_claims');
    const one = await createDb(scratch.url);
    const two = await createDb(scratch.url, { migrate: false });
    try {
      await syncPredictions(
        one.db,
        ['a', 'b'].map((id) => ({ id, statement: `Forecast ${id}.`, record: {} })),
      );
      await withScoringClaims(one.db, 's@1', {}, async (held) => {
        expect(held.claims.map((c) => c.predictionId)).toEqual(['a', 'b']);
        await held.store({
          judgments: [],
          progress: held.claims.map((c) => ({ predictionId: c.predictionId, claimHash: c.claimHash, throughArticleId: 7 })),
        });
        // Meanwhile, another worker (its own connection pool) finds both held.
        await withScoringClaims(two.db, 's@1', {}, async (other) => {
          expect(other.claims).toEqual([]);
          expect(other.busy).toBe(2);
        });
      });
      // Committed: the other worker now holds them, at the moved watermark.
      await withScoringClaims(two.db, 's@1', {}, async (other) => {
        expect(other.claims.map((c) => [c.predictionId, c.throughArticleId])).toEqual([
          ['a', 7],
          ['b', 7],
        ]);
        expect(other.busy).toBe(0);
      });
    } finally {
      await two.close();
      await one.close();
      await scratch.drop();
    }
  });
});

describe('scoring and articles committed out of order on PostgreSQL', () => {
  it.skipIf(!testPgUrl)(`an article whose transaction commits late is not passed over by the watermark${skipNote}`, async () => {
    const scratch = await createServerDatabase('signpost_order');
    const writer = await createDb(scratch.url);
    const scorerDb = await createDb(scratch.url, { migrate: false });
    const article = (key: string) => ({ key, url: `https://x.example/${key}`, title: key, publishedAt: new Date('2026-11-20T00:00:00Z') });
    try {
      await syncPredictions(writer.db, [{ id: 'a', statement: 'Forecast a.', record: {} }]);
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let inserted!: () => void;
      const early = new Promise<void>((r) => (inserted = r));
      // A feed's transaction takes the lower id but commits after a later one has committed.
      const slow = writer.db.transaction(async (tx) => {
        await tx.insert(schema.articles).values(article('early'));
        inserted();
        await gate;
      });
      await early;
      await scorerDb.db.insert(schema.articles).values(article('late'));
      setTimeout(release, 300);
      const read = await withScoringClaims(scorerDb.db, 's@1', {}, (held) => held.readArticlesAfter(0, 10));
      await slow;
      // Reading only `late` would move the watermark past `early` for good.
      expect(read.map((a) => a.title)).toEqual(['early', 'late']);
    } finally {
      await scorerDb.close();
      await writer.close();
      await scratch.drop();
    }
  });
});
