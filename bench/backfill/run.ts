/**
 * A new forecast backfilled over a large archive while the dashboard is under load (issue #18).
 *
 *   npx tsx bench/backfill/run.ts [--articles 100000] [--seconds 60] [--rate 200] [--threads 0,default]
 *
 * As `signpost start` on PGlite does it, in one process: an in-memory PGlite holding --articles stored
 * articles (texts of the forecast-stance corpus, cycled) already scored against 20 forecasts of
 * data/predictions.yaml, the dashboard served from this process, and the scoring on this process's
 * pool (or inline). The load comes from a child process (load-process.ts): --rate req/s in turn over
 * the dashboard's pages and API.
 *   1. idle: the load for 10 s with nothing else running;
 *   2. per scoring mode (--threads: SIGNPOST_SCORING_THREADS values, `default` = one per core; default
 *      `0,default`): a new forecast is added and backfilled over the whole archive, as a cycle or
 *      `signpost backfill --prediction` would, while the load runs for --seconds.
 * Printed: each backfill's time and pairs/s, and the dashboard's p50/p99 during it against idle.
 */
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createApp } from '../../packages/dashboard/src/app.tsx';
import { serveApp } from '../../packages/dashboard/src/serve.ts';
import { scorePendingArticles } from '../../apps/worker/src/pipeline/score-articles.ts';
import { createScoringExecutor } from '../../apps/worker/src/pipeline/scoring-pool.ts';
import {
  listScoringClaims,
  storeFeedItems,
  storeScoringBatch,
  syncFeeds,
  syncPredictions,
  type ArticleInput,
} from '../../packages/db/src/index.ts';
import { createTestDb } from '../../packages/db/test/testing.ts';
import { createLogger } from '../../packages/log/src/index.ts';
import { loadPredictions } from '../../packages/config/src/index.ts';
import { createScorer, parseCorpus } from '../../packages/scoring/src/index.ts';
import type { Figures } from '../load/drive.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values: args } = parseArgs({
  options: {
    articles: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '60' },
    rate: { type: 'string', default: '200' },
    threads: { type: 'string', default: '0,default' },
  },
});
const ARTICLES = Number(args.articles);
const SECONDS = Number(args.seconds);
const RATE = Number(args.rate);
const MODES = args.threads!.split(',').map((t) => (t.trim() === 'default' ? os.availableParallelism() : Number(t)));
const scorer = createScorer({ articleCacheSize: 4 });
const now = new Date();
const t0 = performance.now();
const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(0)} s`;

// --- Seed: the archive, already judged against 20 forecasts by the current scorer -----------------
const corpusDir = path.join(root, 'datasets/forecast-stance');
const corpus = parseCorpus({
  forecasts: fs.readFileSync(path.join(corpusDir, 'forecasts.jsonl'), 'utf8'),
  articles: fs.readFileSync(path.join(corpusDir, 'articles.jsonl'), 'utf8'),
  pairs: '',
});
const texts = [...corpus.articles.values()];
const database = await createTestDb();
const db = database.db;
const { predictions } = await loadPredictions(path.join(root, 'data'));
const toRecord = (p: (typeof predictions)[number]) => ({
  id: p.id,
  statement: p.statement,
  record: p as unknown as Record<string, unknown>,
});
const standing = predictions.slice(0, 20);
await syncPredictions(db, standing.map(toRecord), now);
const feeds = await syncFeeds(
  db,
  Array.from({ length: 20 }, (_, i) => ({ url: `https://feed${i}.example/rss`, title: `Feed ${i}` })),
  now,
);
let lastId = 0;
for (let start = 0; start < ARTICLES; start += 2000) {
  const items: ArticleInput[] = [];
  for (let n = start; n < Math.min(ARTICLES, start + 2000); n++) {
    const t = texts[n % texts.length]!;
    items.push({
      key: `bench:${n}`,
      url: `https://news${n % 50}.example/story/${n}`,
      title: `${t.title} (${n})`,
      titleKey: `${t.title} ${n}`.toLowerCase(),
      summary: t.body.slice(0, 1500),
      publishedAt: new Date(now.getTime() - ((ARTICLES - n) / ARTICLES) * 730 * 86400_000),
      language: 'en',
    });
  }
  const { newIds } = await storeFeedItems(db, feeds[(start / 2000) % feeds.length]!.id, items, { nextCheckAt: now }, now);
  lastId = Math.max(lastId, ...newIds);
}
// The standing forecasts are scored through the whole archive (a watermark at the end; their few judgments do not matter here).
const claims = await listScoringClaims(db, scorer.id);
await storeScoringBatch(
  db,
  {
    scorer: scorer.id,
    judgments: [],
    progress: claims.map((c) => ({ predictionId: c.predictionId, claimHash: c.claimHash, throughArticleId: lastId })),
  },
  now,
);
console.log(`[${elapsed()}] seeded ${ARTICLES} articles and ${standing.length} forecasts scored through them`);

const app = createApp({ db, logger: createLogger({ level: 'warn' }), scorer: scorer.id });
const server = await serveApp(app, { host: '127.0.0.1', port: 0 });
const ids = standing.slice(0, 10).map((p) => p.id);
for (const p of ['/', `/predictions/${ids[0]}`, '/api/predictions', '/feeds']) await (await fetch(`${server.url}${p}`)).arrayBuffer(); // warm

function load(seconds: number): Promise<Figures> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'bench/backfill/load-process.ts'), server.url, String(seconds), String(RATE), ...ids],
      { cwd: root, maxBuffer: 1 << 24 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`bench: the load process failed: ${error.message}\n${stderr}`));
        resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as Figures);
      },
    );
  });
}

const idle = await load(10);
console.log(`[${elapsed()}] idle: p50 ${idle.p50} ms, p99 ${idle.p99} ms, ${idle.errors} errors`);

const rows: { mode: string; seconds: number; pairs: number; failed: number; loaded: Figures; coveredS: number }[] = [];
for (const [i, threads] of MODES.entries()) {
  const forecast = predictions[20 + i] ?? predictions[predictions.length - 1 - i]!;
  await syncPredictions(db, [...standing, ...predictions.slice(20, 21 + i)].map(toRecord), now);
  const executor = createScoringExecutor(threads, scorer);
  const loading = load(SECONDS);
  await new Promise((r) => setTimeout(r, 1000)); // the load's process starts
  const b0 = performance.now();
  const progress = await scorePendingArticles(db, scorer, { predictionId: forecast.id, executor });
  const seconds = (performance.now() - b0) / 1000;
  const loaded = await loading;
  await executor.close();
  const mode = threads === 0 ? 'inline (SIGNPOST_SCORING_THREADS=0)' : `pool of ${threads}`;
  rows.push({ mode, seconds, pairs: progress.pairs, failed: progress.failed, loaded, coveredS: Math.min(SECONDS, seconds + 1) });
  console.log(`[${elapsed()}] ${mode}: ${progress.pairs} pairs in ${seconds.toFixed(1)} s`);
}

console.log(
  `\nA new forecast backfilled over ${ARTICLES} stored articles (PGlite in memory, dashboard in the same process), ${RATE} req/s on the dashboard from another process, ${os.availableParallelism()} cores`,
);
console.log(
  'mode'.padEnd(38),
  'backfill s'.padStart(11),
  'pairs/s'.padStart(8),
  'failed'.padStart(7),
  'req'.padStart(7),
  'errors'.padStart(7),
  'p50 ms'.padStart(7),
  'p99 ms'.padStart(7),
  'max ms'.padStart(7),
  'p99/idle'.padStart(9),
);
console.log(
  'idle (no backfill)'.padEnd(38),
  '-'.padStart(11),
  '-'.padStart(8),
  '-'.padStart(7),
  String(idle.requests).padStart(7),
  String(idle.errors).padStart(7),
  String(idle.p50).padStart(7),
  String(idle.p99).padStart(7),
  String(idle.max).padStart(7),
  '1.0x'.padStart(9),
);
for (const r of rows) {
  console.log(
    r.mode.padEnd(38),
    r.seconds.toFixed(1).padStart(11),
    Math.round(r.pairs / r.seconds)
      .toString()
      .padStart(8),
    String(r.failed).padStart(7),
    String(r.loaded.requests).padStart(7),
    String(r.loaded.errors).padStart(7),
    String(r.loaded.p50).padStart(7),
    String(r.loaded.p99).padStart(7),
    String(r.loaded.max).padStart(7),
    `${(r.loaded.p99 / Math.max(1, idle.p99)).toFixed(1)}x`.padStart(9),
  );
  console.log(
    `  the backfill ran during ${r.coveredS.toFixed(0)} s of the ${SECONDS} s load window; p99 by 5 s: ${r.loaded.timeline.join(' ')}`,
  );
}
if (rows.length === 2 && rows[0]!.seconds > 0)
  console.log(`backfill speed-up, ${rows[1]!.mode} vs ${rows[0]!.mode}: ${(rows[0]!.seconds / rows[1]!.seconds).toFixed(2)}x`);
console.log(
  `load average at the end: ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} (other work on the machine raises every latency)`,
);
await server.close();
await database.close();
