/**
 * How much the verdicts move under changes that should not move them (issue #13), on the corpus's dev
 * split: the tuning loop's measure of robustness, never the test split.
 *
 *   npx tsx scripts/robustness-probe.ts [--weights F] [--limit N] [--long-words N] [--variants padded,long,...]
 *
 * Variants of every dev pair, each scored against the original's verdict and the gold label:
 *   - padded: the article followed by the bodies of two other corpus articles labelled unrelated to the
 *     same forecast (a round-up, or a long full text of which one paragraph is the news); the label
 *     stays: a related article is still related, an unrelated one still unrelated;
 *   - buried: the two other bodies before the article's own (its news last);
 *   - long: five other bodies after it (about 850 words, a full text's length);
 *   - suffix: the forecast's statement with " (Revised wording 1.)" after it;
 *   - prefix: the statement after "Restated: ".
 * `--long-words` sets the scorer's `longArticleWords` (0: every article judged whole); `--variants` keeps
 * the variants whose names start with the given words.
 * Printed per variant: macro-F1 against the gold labels, recall of the related pairs (any related
 * stance called related), the share of unrelated pairs called related, and the share of verdicts that
 * differ from the original's.
 *
 * Found with it (scorer 2.2.0, the shipped weights, which saw dev in training): see docs/scoring.md,
 * "Limits".
 */
import fs from 'node:fs';
import { unrelatedArticlesByForecast, type CorpusPair } from '../src/corpus.ts';
import { macroF1 } from '../src/metrics.ts';
import type { ScorerWeights } from '../src/model.ts';
import { createScorer } from '../src/scorer.ts';
import type { ScorableArticle, ScorableClaim, Stance } from '../src/types.ts';
import { readForecastStance, scriptArg } from './datasets.ts';

const corpus = readForecastStance();
const weightsFile = scriptArg('weights');
const longWords = scriptArg('long-words');
const scorer = createScorer({
  ...(weightsFile ? { weights: JSON.parse(fs.readFileSync(weightsFile, 'utf8')) as ScorerWeights } : {}),
  ...(longWords !== undefined ? { longArticleWords: Number(longWords) } : {}),
});
const only = scriptArg('variants')?.split(',');

const dev = corpus.pairs.filter((p) => p.split === 'dev').slice(0, Number(scriptArg('limit') ?? Infinity));
/** Per forecast, the articles labelled unrelated to it (any split): the padding that must not matter. */
const unrelatedTo = unrelatedArticlesByForecast(corpus);

const articleOf = (id: string): ScorableArticle => {
  const a = corpus.articles.get(id)!;
  return { title: a.title, body: a.body, published: a.published };
};
const claimOf = (p: CorpusPair): ScorableClaim => corpus.forecasts.get(p.forecast)!;

/** The article with `n` bodies of other corpus articles labelled unrelated to the same forecast, after or before its own. */
function padded(p: CorpusPair, k: number, n: number, where: 'after' | 'before'): ScorableArticle | null {
  const pool = (unrelatedTo.get(p.forecast) ?? []).filter((a) => a !== p.article);
  if (pool.length < n) return null;
  const a = articleOf(p.article);
  const picks = new Set<string>();
  for (let i = 0; picks.size < n && i < 100; i++) picks.add(pool[(k * (6 * i + 1) + 3 * i) % pool.length]!);
  const pads = [...picks].map((id) => corpus.articles.get(id)!.body);
  return { ...a, body: (where === 'after' ? [a.body, ...pads] : [...pads, a.body]).join('\n\n') };
}

type Variant = { name: string; claim: (p: CorpusPair) => ScorableClaim; article: (p: CorpusPair, k: number) => ScorableArticle | null };
const VARIANTS: Variant[] = [
  { name: 'original', claim: claimOf, article: (p) => articleOf(p.article) },
  { name: 'padded (+2 unrelated articles)', claim: claimOf, article: (p, k) => padded(p, k, 2, 'after') },
  { name: 'buried (2 unrelated articles first)', claim: claimOf, article: (p, k) => padded(p, k, 2, 'before') },
  { name: 'long (+5 unrelated articles)', claim: claimOf, article: (p, k) => padded(p, k, 5, 'after') },
  {
    name: 'suffix " (Revised wording 1.)"',
    claim: (p) => ({ ...claimOf(p), statement: `${claimOf(p).statement} (Revised wording 1.)` }),
    article: (p) => articleOf(p.article),
  },
  {
    name: 'prefix "Restated: "',
    claim: (p) => ({ ...claimOf(p), statement: `Restated: ${claimOf(p).statement}` }),
    article: (p) => articleOf(p.article),
  },
];

const original = new Map<number, Stance>();
console.log(`${dev.length} dev pairs, scorer ${scorer.id}`);
console.log('variant                              pairs  macro-F1  related recall  unrelated called related  verdicts changed');
for (const v of VARIANTS.filter((v) => v.name === 'original' || !only || only.some((o) => v.name.startsWith(o)))) {
  const gold: Stance[] = [];
  const predicted: Stance[] = [];
  let related = 0;
  let recalled = 0;
  let falseRelated = 0;
  let changed = 0;
  let compared = 0;
  dev.forEach((p, k) => {
    const article = v.article(p, k);
    if (!article) return;
    const stance = scorer.score(v.claim(p), article).stance;
    gold.push(p.stance);
    predicted.push(stance);
    if (p.stance !== 'unrelated') {
      related++;
      if (stance !== 'unrelated') recalled++;
    } else if (stance !== 'unrelated') falseRelated++;
    if (v.name === 'original') original.set(k, stance);
    else {
      compared++;
      if (original.get(k) !== stance) changed++;
    }
  });
  const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)} %` : '-');
  console.log(
    `${v.name.padEnd(36)} ${String(gold.length).padStart(5)}  ${macroF1(gold, predicted).toFixed(3).padStart(8)}  ${pct(recalled, related).padStart(14)}  ${pct(falseRelated, gold.length - related).padStart(24)}  ${(v.name === 'original' ? '-' : pct(changed, compared)).padStart(16)}`,
  );
}
