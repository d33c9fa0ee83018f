/**
 * Scorer throughput on one core: the FNC-1 competition test set (25,413 pairs), and the worker's own
 * pattern on the forecast-stance corpus (300 articles, each prepared once with its date and scored against
 * all its forecasts with their signposts: 341 of them, 102,300 pairs; and the same articles undated), and
 * long full texts judged whole and by parts.
 *
 *   npx tsx bench/score/run.ts            (FNC-1 from SIGNPOST_SHARED_DIR or ../shared; the corpus from datasets/)
 *
 * Everything runs in this one Node thread. Rates are pairs per CPU-second of this process
 * (user + system time, so other load on the machine does not distort them) and per
 * wall-clock second. Measured in the same run:
 *   - baseline: plain tokenisation of both texts of every pair;
 *   - product pattern: each article prepared once, then scored against all its claims
 *     (the worker scores each new article against every forecast);
 *   - file order: pairs in the file's shuffled order through the scorer's own LRU cache;
 *   - no cache: every pair prepares its article from scratch;
 *   - long full texts against every forecast, judged whole and by parts (the scorer's default).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createScorer,
  LONG_ARTICLE_WORDS,
  parseCorpus,
  type PreparedArticle,
  type ScorerOptions,
} from '../../packages/scoring/src/index.ts';
import { tokenize } from '../../packages/scoring/src/text.ts';
import { readFncSplit, resolveSharedDir } from '../../packages/scoring/scripts/datasets.ts';

const split = readFncSplit(path.join(resolveSharedDir(), 'data', 'fnc-1'), 'competition_test');
const pairs = split.pairs.map((p) => ({ claim: p.headline, body: split.bodies.get(p.bodyId) ?? '' }));

function measure(label: string, fn: () => number, count = pairs.length): number {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const checksum = fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(cpu0);
  const cpu = (c.user + c.system) / 1e6;
  const rate = count / cpu;
  console.log(
    `${label.padEnd(44)} cpu ${cpu.toFixed(2).padStart(6)} s ${Math.round(rate).toString().padStart(7)} pairs/s | wall ${wall.toFixed(2).padStart(6)} s ${Math.round(
      count / wall,
    )
      .toString()
      .padStart(7)} pairs/s  (checksum ${checksum})`,
  );
  return rate;
}

// Warm-up so JIT compilation is not billed to the first measurement.
{
  const warm = createScorer();
  for (const p of pairs.slice(0, 500)) warm.score({ statement: p.claim }, { body: p.body });
}

const base = measure('baseline: tokenise claim + body', () => {
  let n = 0;
  for (const p of pairs) n += tokenize(p.claim).length + tokenize(p.body).length;
  return n;
});
const product = measure('scorer, article prepared once', () => {
  const scorer = createScorer();
  const prepared = new Map<string, PreparedArticle>();
  let n = 0;
  for (const p of pairs) {
    let a = prepared.get(p.body);
    if (!a) prepared.set(p.body, (a = scorer.prepareArticle({ body: p.body })));
    n += scorer.score({ statement: p.claim }, a).evidence.length;
  }
  return n;
});
const fileOrder = measure('scorer, file order, default LRU cache', () => {
  const scorer = createScorer();
  let n = 0;
  for (const p of pairs) n += scorer.score({ statement: p.claim }, { body: p.body }).evidence.length;
  return n;
});
const uncached = measure('scorer, no cache (cacheSize 1)', () => {
  const scorer = createScorer({ cacheSize: 1 });
  let n = 0;
  for (const p of pairs) n += scorer.score({ statement: p.claim }, { body: p.body }).evidence.length;
  return n;
});
console.log(
  `pairs: ${pairs.length}; ratio to baseline (cpu): article prepared once ${(product / base).toFixed(3)}, file order ${(fileOrder / base).toFixed(3)}, no cache ${(uncached / base).toFixed(3)}`,
);

// The worker's pattern on forecasts: every new article against every forecast, with signposts.
const corpusDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../datasets/forecast-stance');
const read = (name: string) => fs.readFileSync(path.join(corpusDir, name), 'utf8');
const corpus = parseCorpus({ forecasts: read('forecasts.jsonl'), articles: read('articles.jsonl'), pairs: '' });
const forecasts = [...corpus.forecasts.values()];
const articles = [...corpus.articles.values()].slice(0, 300);
const corpusPairs = forecasts.length * articles.length;
const corpusBase = measure(
  'baseline: tokenise forecast + article',
  () => {
    let n = 0;
    for (const a of articles) for (const f of forecasts) n += tokenize(f.statement).length + tokenize(`${a.title}\n${a.body}`).length;
    return n;
  },
  corpusPairs,
);
/** The worker's pattern: each article prepared once (dated, as a feed's items are) and judged against every forecast. */
const forecastsByArticles =
  (texts: readonly { title: string; body: string; published?: string }[], options: ScorerOptions = {}) =>
  () => {
    const scorer = createScorer(options);
    let n = 0;
    for (const a of texts) {
      const prepared = scorer.prepareArticle({ title: a.title, body: a.body, ...(a.published ? { published: a.published } : {}) });
      for (const f of forecasts) n += scorer.score(f, prepared).evidence.length;
    }
    return n;
  };
const corpusProduct = measure('scorer, forecasts x articles (worker pattern)', forecastsByArticles(articles), corpusPairs);
// An undated article against a forecast with a deadline is judged at three times left (three passes of the trees).
const corpusUndated = measure(
  'scorer, forecasts x undated articles',
  forecastsByArticles(articles.map(({ title, body }) => ({ title, body }))),
  corpusPairs,
);
console.log(
  `corpus pairs: ${corpusPairs}; ratio to baseline (cpu): ${(corpusProduct / corpusBase).toFixed(3)}, undated articles ${(corpusUndated / corpusBase).toFixed(3)}`,
);

// Long full texts (a feed that carries whole articles): 30 articles, each followed by the bodies of the
// next five (about 900 words), against every forecast, judged whole and by parts (`longArticleWords`).
const longArticles = articles.slice(0, 30).map((a, i) => ({
  title: a.title,
  body: [a, ...articles.slice(i + 1, i + 6)].map((b) => b.body).join('\n\n'),
}));
const longPairs = forecasts.length * longArticles.length;
const longWhole = measure('long texts, judged whole', forecastsByArticles(longArticles, { longArticleWords: 0 }), longPairs);
const longParts = measure(
  'long texts, judged by parts (default)',
  forecastsByArticles(longArticles, { longArticleWords: LONG_ARTICLE_WORDS }),
  longPairs,
);
console.log(`long-text pairs: ${longPairs}; by parts against whole (cpu rate): ${(longParts / longWhole).toFixed(3)}`);
console.log(
  `target >= 1000 pairs/s on one core: FNC-1, article prepared once: ${product >= 1000 ? 'met' : 'NOT met'}; forecasts x articles: ${corpusProduct >= 1000 ? 'met' : 'NOT met'}`,
);
