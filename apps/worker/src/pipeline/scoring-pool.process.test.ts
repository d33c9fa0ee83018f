import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listLedger,
  listScoringClaims,
  listScoringFailures,
  storeFeedItems,
  syncFeeds,
  syncPredictions,
  type Database,
} from '@signpost/db';
import { createTestDb, testBackends } from '@signpost/db/testing';
import { scaled } from '@signpost/testing';
import { createScorer, type Scorer } from '@signpost/scoring';
import { loadWorkerEnv } from '../env.ts';
import { startFeedFarm } from '../../test/feed-farm.ts';
import { signpostNodeArgs } from '../node-flags.ts';
import { articlesPerBatch, scorePendingArticles, splitIntoChunks, type ChunkFailure } from './score-articles.ts';
import {
  createScoringPool,
  DEFAULT_CHUNK_TIMEOUT_MS,
  DEFAULT_THREAD_HEAP_MB,
  SCORING_THREAD_NICE,
  type ScoringExecutor,
  type ScoringFaults,
} from './scoring-pool.ts';

const topics = ['energy', 'trade', 'military drills', 'diplomacy', 'banking', 'grain', 'technology', 'Arctic shipping'];
const ARTICLES = 48;
/** 3 forecasts x 8 articles per chunk: six chunks. */
const CHUNK_PAIRS = 24;

const forecasts = [
  {
    id: 'closer',
    statement: 'China and Russia will grow closer.',
    record: {
      keywords: ['China', 'Russia'],
      signposts: [{ text: 'China and Russia sign new cooperation agreements', direction: 'holds' }],
    },
  },
  { id: 'sanctions', statement: 'China will not sanction Russia.', record: { keywords: ['sanctions'] } },
  { id: 'trade', statement: 'Russia-China trade will reach $200 billion by 2024.', record: { keywords: ['trade'] } },
];

/** Small chunks, and no cap (which depends on the batch's size): every run judges each pair alike. */
const same = { chunkPairs: CHUNK_PAIRS, cap: { maxShare: 1 }, inlineBelowPairs: 0 };

/** A scorer under its own id: each test stores under a version of its own, starting from no watermark. */
const scorerAs = (id: string): Scorer => ({ ...createScorer(), id });
const faults = (kind: ScoringFaults['kind'], articleId: number, times: number): ScoringFaults => ({
  kind,
  articleId,
  times,
  counter: new SharedArrayBuffer(4),
});
const attemptsSeen = (f: ScoringFaults) => new Int32Array(f.counter)[0];
/** The judgments stored under `scorer`, without what differs between runs (the scorer id, when each was stored). */
const ledgerOf = async (db: Database['db'], scorer: string) =>
  (await listLedger(db, { scorer }))
    .filter((e) => e.scorer === scorer)
    .map(({ scorer: _s, foundAt: _f, ...e }) => e)
    .sort((a, b) => a.articleId - b.articleId || a.predictionId.localeCompare(b.predictionId));

/** The longest a chunk took on a pool of two threads, scoring every pair under `scorer`. */
async function slowestChunkMs(db: Database['db'], scorer: Scorer): Promise<number> {
  const pool = createScoringPool({ threads: 2, timeoutMs: scaled(DEFAULT_CHUNK_TIMEOUT_MS) });
  let slowest = 0;
  try {
    const timed: ScoringExecutor = {
      threads: pool.threads,
      async score(chunk) {
        const started = performance.now();
        try {
          return await pool.score(chunk);
        } finally {
          slowest = Math.max(slowest, performance.now() - started);
        }
      },
      close: () => pool.close(),
    };
    await scorePendingArticles(db, scorer, { executor: timed, ...same });
  } finally {
    await pool.close();
  }
  return slowest;
}

describe.each(testBackends)('the scoring pool on %s', (backend) => {
  let database: Database;
  let ids: number[];
  let inline: Awaited<ReturnType<typeof ledgerOf>>;

  beforeAll(async () => {
    database = await createTestDb(backend);
    const [feed] = await syncFeeds(database.db, [{ url: 'https://wire.example/rss' }]);
    const now = new Date('2026-03-01T00:00:00Z');
    const items = Array.from({ length: ARTICLES }, (_, i) => {
      const topic = topics[i % topics.length]!;
      const turn =
        i % 3 === 0
          ? 'Beijing refused to join Western sanctions on Moscow.'
          : i % 3 === 1
            ? `Trade between the two reached $${150 + i} billion.`
            : 'Analysts expect little change.';
      return {
        key: `k${i}`,
        title: `China and Russia ${i % 2 ? 'deepen' : 'discuss'} ${topic} cooperation, part ${i}`,
        titleKey: `china and russia ${topic} cooperation part ${i}`,
        summary: `Beijing and Moscow agreed to expand their partnership in ${topic}, officials said. ${turn}`,
        publishedAt: new Date(now.getTime() - i * 3600_000),
      };
    });
    ids = (await storeFeedItems(database.db, feed!.id, items, { nextCheckAt: now }, now)).newIds;
    await syncPredictions(database.db, forecasts);
    const reference = scorerAs('reference@inline');
    const progress = await scorePendingArticles(database.db, reference, { ...same });
    expect(progress).toMatchObject({ pairs: ARTICLES * forecasts.length, failed: 0, done: true });
    inline = await ledgerOf(database.db, reference.id);
    expect(inline.length).toBeGreaterThan(5);
  });
  afterAll(async () => database?.close());

  it('judges every pair on the threads exactly as inline', async () => {
    const pool = createScoringPool({ threads: 2 });
    try {
      const scorer = scorerAs('pool@plain');
      const progress = await scorePendingArticles(database.db, scorer, { executor: pool, ...same });
      expect(progress).toMatchObject({ pairs: ARTICLES * forecasts.length, pooled: ARTICLES * forecasts.length, failed: 0, done: true });
      expect(await ledgerOf(database.db, scorer.id)).toEqual(inline);
    } finally {
      await pool.close();
    }
  });

  it('scores a batch smaller than inlineBelowPairs inline, starting no thread', async () => {
    const pool = createScoringPool({ threads: 2, faults: faults('crash', ids[0]!, 100), timeoutMs: scaled(DEFAULT_CHUNK_TIMEOUT_MS) });
    try {
      const scorer = scorerAs('pool@small');
      const progress = await scorePendingArticles(database.db, scorer, {
        ...same,
        executor: pool,
        inlineBelowPairs: ARTICLES * forecasts.length + 1,
      });
      // Every thread would crash on the first article: none was asked.
      expect(progress).toMatchObject({ pairs: ARTICLES * forecasts.length, pooled: 0, failed: 0 });
      expect(await ledgerOf(database.db, scorer.id)).toEqual(inline);
    } finally {
      await pool.close();
    }
  });

  it('runs its threads below the main thread priority, with a bounded heap', async () => {
    const pool = createScoringPool({ threads: 1 });
    try {
      const { memory, nice } = await pool.threadStatus();
      if (process.platform === 'linux') expect(nice).toBe(os.getPriority() + SCORING_THREAD_NICE);
      expect(memory.heapTotal).toBeLessThan(DEFAULT_THREAD_HEAP_MB * 2 ** 20);
    } finally {
      await pool.close();
    }
  });

  it('replaces a thread that crashes and retries its chunk: nothing lost, nothing recorded as failed', async () => {
    const fault = faults('crash', ids[20]!, 1);
    const pool = createScoringPool({ threads: 2, faults: fault, timeoutMs: scaled(DEFAULT_CHUNK_TIMEOUT_MS) });
    const failures: ChunkFailure[] = [];
    try {
      const scorer = scorerAs('pool@crash-once');
      const progress = await scorePendingArticles(database.db, scorer, {
        executor: pool,
        ...same,
        onChunkFailure: (f) => failures.push(f),
      });
      expect(progress).toMatchObject({ pairs: ARTICLES * forecasts.length, failed: 0, done: true });
      expect(attemptsSeen(fault)).toBe(2);
      expect(failures).toEqual([
        {
          firstArticleId: ids[16],
          lastArticleId: ids[23],
          attempt: 1,
          final: false,
          error: expect.stringMatching(/thread failed on articles .*exit/i),
        },
      ]);
      expect(await ledgerOf(database.db, scorer.id)).toEqual(inline);
      expect(await listScoringFailures(database.db, { scorer: scorer.id })).toEqual([]);
    } finally {
      await pool.close();
    }
  });

  it('records the pairs of a chunk that crashes twice as failed, and moves the watermark past them only with the record', async () => {
    const fault = faults('crash', ids[20]!, 2);
    const pool = createScoringPool({ threads: 2, faults: fault, timeoutMs: scaled(DEFAULT_CHUNK_TIMEOUT_MS) });
    try {
      const scorer = scorerAs('pool@crash-twice');
      const progress = await scorePendingArticles(database.db, scorer, { executor: pool, ...same });
      const chunk = ids.slice(16, 24);
      expect(progress).toMatchObject({
        pairs: (ARTICLES - chunk.length) * forecasts.length,
        failed: chunk.length * forecasts.length,
        done: true,
      });
      const recorded = await listScoringFailures(database.db, { scorer: scorer.id });
      expect(recorded.map((f) => `${f.articleId}/${f.predictionId}`).sort()).toEqual(
        chunk.flatMap((a) => forecasts.map((f) => `${a}/${f.id}`)).sort(),
      );
      expect(recorded.every((f) => f.attempts === 2 && /thread failed on articles .*exit/i.test(f.error))).toBe(true);
      // Every other pair is judged as inline; the failed chunk's are not in the ledger.
      expect(await ledgerOf(database.db, scorer.id)).toEqual(inline.filter((e) => !chunk.includes(e.articleId)));
      // The watermark moved past the failed pairs (they are on record, not pending).
      const claims = await listScoringClaims(database.db, scorer.id);
      expect(claims.map((c) => c.throughArticleId)).toEqual(forecasts.map(() => ids.at(-1)));
    } finally {
      await pool.close();
    }
  });

  // The hang is the pool's own business (piscina's abort, a new thread): the database only sees the
  // retried chunk stored, as after a crash, which the crash tests above check on both backends. So it
  // runs on PGlite only, where it waits out its timeout once (the slowest test of `npm test`).
  it.skipIf(backend !== 'pglite')(
    'stops a thread that hangs at the timeout, replaces it and retries its chunk (PGlite only: the timeout does not involve the database)',
    async () => {
      const fault = faults('hang', ids[5]!, 1);
      // A chunk takes well under a second on a quiet machine, but niced threads on a machine others
      // keep busy can be many times slower than the run's time factor says. The timeout must be met by
      // the hang alone: five times the slowest chunk of a pooled run just before (a new thread's start
      // included), and at least the quiet 12 s scaled.
      const slowest = await slowestChunkMs(database.db, scorerAs('pool@hang-calibrate'));
      const timeoutMs = Math.ceil(Math.max(scaled(12_000), Math.min(5 * slowest, scaled(90_000))));
      const pool = createScoringPool({ threads: 2, faults: fault, timeoutMs });
      const failures: ChunkFailure[] = [];
      try {
        const scorer = scorerAs('pool@hang-once');
        const progress = await scorePendingArticles(database.db, scorer, {
          executor: pool,
          ...same,
          onChunkFailure: (f) => failures.push(f),
        });
        expect(progress, JSON.stringify({ slowest, failures })).toMatchObject({
          pairs: ARTICLES * forecasts.length,
          failed: 0,
          done: true,
        });
        expect(failures).toEqual([
          {
            firstArticleId: ids[0],
            lastArticleId: ids[7],
            attempt: 1,
            final: false,
            error: expect.stringContaining(`ran past ${timeoutMs} ms on articles`),
          },
        ]);
        expect(await ledgerOf(database.db, scorer.id)).toEqual(inline);
      } finally {
        await pool.close();
      }
    },
    scaled(300_000),
  );

  it('records a chunk whose scorer throws twice as failed, with the error', async () => {
    const fault = faults('throw', ids[40]!, 2);
    const pool = createScoringPool({ threads: 1, faults: fault });
    try {
      const scorer = scorerAs('pool@throw-twice');
      const progress = await scorePendingArticles(database.db, scorer, { executor: pool, ...same });
      expect(progress.failed).toBe(8 * forecasts.length);
      const recorded = await listScoringFailures(database.db, { scorer: scorer.id });
      expect(new Set(recorded.map((f) => f.error))).toEqual(
        new Set([`scoring: a thread failed on articles ${ids[40]}-${ids[47]}: scoring thread: injected fault on article ${ids[40]}`]),
      );
    } finally {
      await pool.close();
    }
  });

  it('skips nothing when a batch is cut short and resumed (the watermark keeps the place)', async () => {
    const pool = createScoringPool({ threads: 2 });
    try {
      const scorer = scorerAs('pool@resume');
      const first = await scorePendingArticles(database.db, scorer, { executor: pool, ...same, batchSize: 20, budgetMs: 0 });
      expect(first).toMatchObject({ articles: 20, done: false });
      const rest = await scorePendingArticles(database.db, scorer, { executor: pool, ...same, batchSize: 20 });
      expect(first.pairs + rest.pairs).toBe(ARTICLES * forecasts.length);
      expect(await ledgerOf(database.db, scorer.id)).toEqual(inline);
      expect(await listScoringFailures(database.db, { scorer: scorer.id })).toEqual([]);
    } finally {
      await pool.close();
    }
  });
});

describe('SIGNPOST_SCORING_THREADS', () => {
  it('defaults to one thread per core and accepts 0 (inline)', () => {
    expect(loadWorkerEnv({}).SIGNPOST_SCORING_THREADS).toBe(os.availableParallelism());
    expect(loadWorkerEnv({ SIGNPOST_SCORING_THREADS: '0' }).SIGNPOST_SCORING_THREADS).toBe(0);
    expect(loadWorkerEnv({ SIGNPOST_SCORING_THREADS: '3' }).SIGNPOST_SCORING_THREADS).toBe(3);
  });

  it('refuses what is not a whole number of threads, saying which variable', () => {
    for (const bad of ['-1', 'two', '1.5', '1000']) {
      expect(() => loadWorkerEnv({ SIGNPOST_SCORING_THREADS: bad })).toThrow(
        /SIGNPOST_SCORING_THREADS: must be a whole number of threads from 0/,
      );
    }
  });
});

const workerDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const repoData = path.resolve(workerDir, '../../data');

/** `signpost run --all` as `npm start` runs it (the bundle and its dist/scoring-thread.mjs), on a data folder of its own. */
async function runBundle(feedUrls: string[], threads: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-pool-'));
  try {
    fs.copyFileSync(path.join(repoData, 'predictions.yaml'), path.join(dataDir, 'predictions.yaml'));
    fs.writeFileSync(path.join(dataDir, 'feeds.yaml'), `feeds:\n${feedUrls.map((u) => `  - url: ${u}\n`).join('')}`);
    const { DATABASE_URL: _d, ...env } = process.env;
    const child = spawn(process.execPath, signpostNodeArgs('run', '--all'), {
      env: {
        ...env,
        SIGNPOST_DATA_DIR: dataDir,
        SIGNPOST_ALLOW_PRIVATE_NETWORKS: '1',
        SIGNPOST_SCORING_THREADS: threads,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { code, stdout, stderr };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('the bundle (npm start)', () => {
  it(
    'scores on threads started from dist/scoring-thread.mjs, with the same judgments as inline',
    async () => {
      // 160 articles x the 30 forecasts of data/: 4,800 pairs, more than a batch scored inline.
      const farm = await startFeedFarm({ feeds: 8, items: 20 });
      try {
        const pooled = await runBundle(farm.urls, '2');
        // A chunk may be retried once when niced threads starve on a busy machine (it ran past the
        // 60 s timeout under a load of 9 on two cores), but none may fail for good.
        expect(pooled.stderr).not.toMatch(/scoring: a chunk failed twice/);
        expect(pooled.code, pooled.stderr).toBe(0);
        const inlineRun = await runBundle(farm.urls, '0');
        expect(inlineRun.code, inlineRun.stderr).toBe(0);
        const scored = (s: string) => /scored: (\d+) pairs, (\d+) judgments/.exec(s)?.slice(1);
        expect(scored(pooled.stdout)).toEqual(scored(inlineRun.stdout));
        expect(pooled.stdout).toMatch(/judgments, (\d+) pairs on scoring threads/);
        expect(/judgments, (\d+) pairs on scoring threads/.exec(pooled.stdout)?.[1]).toBe(scored(pooled.stdout)?.[0]);
        expect(inlineRun.stdout).not.toMatch(/on scoring threads/);
        expect(Number(scored(pooled.stdout)?.[0])).toBeGreaterThan(0);
      } finally {
        await farm.close();
      }
    },
    scaled(120_000),
  );
});

describe('splitIntoChunks', () => {
  const ids = Array.from({ length: 100 }, (_, i) => i + 1);
  it('cuts a batch into runs of about chunkPairs pairs, at least one per thread, in order', () => {
    expect(splitIntoChunks(ids, 10, 2, 200).map((c) => c.length)).toEqual([20, 20, 20, 20, 20]);
    // One forecast: 2,000 pairs would be the whole batch; each thread still gets a run.
    expect(splitIntoChunks(ids, 1, 2).map((c) => c.length)).toEqual([50, 50]);
    expect(splitIntoChunks(ids, 1, 2).flat()).toEqual(ids);
    // Inline: one run.
    expect(splitIntoChunks(ids, 30, 0)).toEqual([ids]);
  });
});

describe('articlesPerBatch', () => {
  it('grows with the threads, so that batches commit about as often as on one thread', () => {
    expect([articlesPerBatch(30), articlesPerBatch(30, 2)]).toEqual([800, 1600]);
    expect([articlesPerBatch(1), articlesPerBatch(1, 2), articlesPerBatch(1, 4)]).toEqual([2000, 4000, 8000]);
    expect([articlesPerBatch(500), articlesPerBatch(500, 2)]).toEqual([200, 200]);
  });
});
