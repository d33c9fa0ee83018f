/**
 * The scoring pool against one thread, in the same run (issue #18): the worker's pattern on the
 * forecast-stance corpus (every article prepared once and judged against all 210 forecasts with their
 * signposts), cut into the chunks the worker hands its threads.
 *
 *   npx tsx bench/score/pool.ts [--articles 300] [--threads N (default: one per core)] [--rounds 3]
 *
 * Measured, in order:
 *   - a pool of 1 thread against one thread: the same chunks through piscina (the cost of passing them over);
 *   - --rounds rounds, each of: one thread (the chunks scored inline on this thread, as
 *     SIGNPOST_SCORING_THREADS=0 does, without its yields), then a pool of N threads (the default size).
 *     The speed-up is the median of the rounds' ratios: on a shared virtual machine one thread's speed
 *     drifts by a third from minute to minute, so a single pair of runs can say 1.2x or 2.2x of the same code.
 * Rates are pairs per wall-clock second (what a cycle waits for), and per CPU-second of all the
 * process's threads (what the work costs, whatever else runs); the machine's load average is printed,
 * since other work on a shared machine takes cores from the pool.
 * Memory: the process's RSS before a pool starts and once its N threads have loaded the scorer and
 * scored, and each thread's own heap; the difference per thread is what a thread costs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createScorer, parseCorpus, scoreArticleBatch, type BatchArticle, type BatchClaim } from '../../packages/scoring/src/index.ts';
import { splitIntoChunks } from '../../apps/worker/src/pipeline/score-articles.ts';
import { createScoringPool, type ScoringExecutor } from '../../apps/worker/src/pipeline/scoring-pool.ts';

const { values: args } = parseArgs({
  options: {
    articles: { type: 'string', default: '300' },
    threads: { type: 'string', default: String(os.availableParallelism()) },
    rounds: { type: 'string', default: '3' },
  },
});
const THREADS = Number(args.threads);
const ROUNDS = Math.max(1, Number(args.rounds));

const corpusDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../datasets/forecast-stance');
const read = (name: string) => fs.readFileSync(path.join(corpusDir, name), 'utf8');
const corpus = parseCorpus({ forecasts: read('forecasts.jsonl'), articles: read('articles.jsonl'), pairs: '' });
const claims: BatchClaim[] = [...corpus.forecasts.values()].map((f) => ({ claim: f, throughArticleId: 0 }));
const articles: BatchArticle[] = [...corpus.articles.values()]
  .slice(0, Number(args.articles))
  .map((a, i) => ({ id: i + 1, article: { title: a.title, body: a.body } }));
const pairs = claims.length * articles.length;
const chunks = splitIntoChunks(articles, claims.length, Math.max(1, THREADS));
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

/** Scores every chunk, `lanes` at a time (as the worker does); returns related judgments, a checksum. */
async function scoreAll(executor: Pick<ScoringExecutor, 'score'>, lanes: number): Promise<number> {
  let next = 0;
  let related = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < chunks.length) {
        const chunk = chunks[next++]!;
        for (const a of await executor.score({ claims, articles: chunk })) related += Object.keys(a.related).length;
      }
    }),
  );
  return related;
}

async function measure(label: string, run: () => Promise<number>): Promise<number> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const checksum = await run();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(cpu0);
  const cpu = (c.user + c.system) / 1e6;
  const rate = pairs / wall;
  console.log(
    `${label.padEnd(24)} wall ${wall.toFixed(2).padStart(6)} s ${Math.round(rate).toString().padStart(6)} pairs/s | cpu (all threads) ${cpu.toFixed(2).padStart(6)} s ${Math.round(
      pairs / cpu,
    )
      .toString()
      .padStart(6)} pairs/cpu-s  (related judgments: ${checksum})`,
  );
  return rate;
}

/** A pool with every thread started and warm (scorer loaded, code compiled), before it is timed. */
async function warmPool(threads: number) {
  const pool = createScoringPool({ threads });
  const warm = chunks.slice(0, threads * 2);
  await Promise.all(warm.map((c) => pool.score({ claims, articles: c.slice(0, 3) })));
  return pool;
}

console.log(
  `${pairs} pairs (${claims.length} forecasts x ${articles.length} articles) in ${chunks.length} chunks; ${os.availableParallelism()} cores; load average before: ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);

const scorer = createScorer();
scoreArticleBatch(scorer, claims, articles.slice(0, 5)); // JIT warm-up
const inline = () => scoreAll({ score: async (c) => scoreArticleBatch(scorer, c.claims, c.articles) }, 1);

const single = await warmPool(1);
const poolOneRatio = (await measure('pool, 1 thread', () => scoreAll(single, 1))) / (await measure('one thread (inline)', inline));
await single.close();

global.gc?.();
await new Promise((r) => setTimeout(r, 500));
const rssBefore = process.memoryUsage().rss;
const pool = await warmPool(THREADS);
const rssAfterWarm = process.memoryUsage().rss;
const ratios: number[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  console.log(`round ${round} of ${ROUNDS}:`);
  const one = await measure('one thread (inline)', inline);
  const poolN = await measure(`pool, ${THREADS} threads`, () => scoreAll(pool, THREADS));
  ratios.push(poolN / one);
}
const rssAfter = Math.max(rssAfterWarm, process.memoryUsage().rss);
// One thread's own heap, the scorer loaded and chunks scored.
const { memory: heap } = await pool.threadStatus();
await pool.close();

const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)]!;
console.log(
  `\nspeed-up, pool of ${THREADS} vs one thread: ${median.toFixed(2)}x, the median of ${ratios
    .map((r) => r.toFixed(2) + 'x')
    .join(', ')} (target >= 1.7x on 2 cores); pool of 1 vs one thread: ${poolOneRatio.toFixed(2)}x`,
);
console.log(
  `memory: RSS ${mb(rssBefore)} MB before the pool, ${mb(rssAfter)} MB with ${THREADS} warm threads: ${mb((rssAfter - rssBefore) / THREADS)} MB per thread; a thread's heap ${mb(heap.heapUsed)} MB used of ${mb(heap.heapTotal)} MB`,
);
console.log(
  `load average after: ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} (other work on the machine takes cores from the pool)`,
);
