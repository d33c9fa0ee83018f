/**
 * Does learning from analysts help? Simulates analysts reviewing N of each forecast's judgments on the
 * forecast-stance corpus's dev split, fits each forecast's correction (`fitAdjustment`) to those
 * reviews, and scores every other dev pair with and without the corrections.
 *
 *   npx tsx scripts/train.ts --tune-only --tune-out=/tmp/tune.json     (models that never saw the dev split)
 *   npx tsx scripts/simulate-reviews.ts --weights /tmp/tune.json [--strength 4] [--seeds 3]
 *
 * An analyst reviews what the dashboard shows: a forecast's judgments that the scorer called related,
 * in a random order; the reviewed pairs are left out of the evaluation (an analyst's own verdict on
 * them is kept as an override anyway), so the gain measured is on pairs nobody reviewed.
 */
import fs from 'node:fs';
import { fitAdjustment, type ReviewedJudgment } from '../src/adjustment.ts';
import { createRandom } from '../src/gbdt.ts';
import { macroF1, perClassF1 } from '../src/metrics.ts';
import type { ScorerWeights } from '../src/model.ts';
import { createScorer } from '../src/scorer.ts';
import { readForecastStance, scriptArg } from './datasets.ts';
import type { Judgment } from '../src/types.ts';

function main(): void {
  const weightsFile = scriptArg('weights');
  const weights = weightsFile ? (JSON.parse(fs.readFileSync(weightsFile, 'utf8')) as ScorerWeights) : undefined;
  if (!weights)
    console.warn('simulate-reviews: no --weights; the committed model was trained on the dev split, so the baseline is optimistic');
  const strengths = (scriptArg('strength') ?? '1,4,16').split(',').map(Number);
  const seeds = Number(scriptArg('seeds') ?? 3);
  const reviewCounts = (scriptArg('reviews') ?? '0,5,10,20,40').split(',').map(Number);
  const corpus = readForecastStance();
  const pairs = corpus.pairs.filter((p) => p.split === (scriptArg('split') ?? 'dev'));
  const scorer = createScorer(weights ? { weights } : {});
  const forecastOf = (id: string) => corpus.forecasts.get(id) as NonNullable<ReturnType<typeof corpus.forecasts.get>>;
  const articleOf = (id: string) => corpus.articles.get(id) as NonNullable<ReturnType<typeof corpus.articles.get>>;
  const base: Judgment[] = pairs.map((p) => scorer.score(forecastOf(p.forecast), articleOf(p.article)));
  console.log(`simulate-reviews: ${pairs.length} pairs of ${new Set(pairs.map((p) => p.forecast)).size} forecasts; scorer ${scorer.id}`);
  console.log(
    'reviews per forecast | prior strength | pairs evaluated | macro-F1 without -> with corrections (mean of seeds) | per-class F1 with (agree/disagree/discuss/unrelated)',
  );
  for (const strength of strengths) {
    for (const n of reviewCounts) {
      let without = 0;
      let withAdj = 0;
      let evaluated = 0;
      let classes = [0, 0, 0, 0];
      for (let seed = 1; seed <= seeds; seed++) {
        const rand = createRandom(seed * 7919 + n);
        const reviewed = new Set<number>();
        const byForecast = new Map<string, number[]>();
        pairs.forEach((p, i) => {
          if (base[i]?.stance === 'unrelated') return;
          byForecast.set(p.forecast, [...(byForecast.get(p.forecast) ?? []), i]);
        });
        const adjustments = new Map<string, ReturnType<typeof fitAdjustment>>();
        for (const [forecast, idx] of byForecast) {
          const order = idx
            .map((i) => ({ i, r: rand() }))
            .sort((a, b) => a.r - b.r)
            .slice(0, n)
            .map((x) => x.i);
          if (order.length === 0) continue;
          for (const i of order) reviewed.add(i);
          const reviews: ReviewedJudgment[] = order.map((i) => {
            const j = base[i] as Judgment;
            return {
              relevance: j.relevance,
              probabilities: j.stanceProbabilities ?? { agree: 1 / 3, disagree: 1 / 3, discuss: 1 / 3 },
              stance: pairs[i]?.stance ?? 'unrelated',
            };
          });
          adjustments.set(forecast, fitAdjustment(reviews, { strength }));
        }
        const gold: string[] = [];
        const before: string[] = [];
        const after: string[] = [];
        pairs.forEach((p, i) => {
          if (reviewed.has(i)) return;
          gold.push(p.stance);
          before.push(base[i]?.stance ?? 'unrelated');
          const adjustment = adjustments.get(p.forecast);
          after.push(
            adjustment
              ? scorer.score({ ...forecastOf(p.forecast), adjustment }, articleOf(p.article)).stance
              : (base[i]?.stance ?? 'unrelated'),
          );
        });
        without += macroF1(gold, before);
        withAdj += macroF1(gold, after);
        evaluated += gold.length;
        classes = perClassF1(gold, after).map((v, k) => (classes[k] ?? 0) + v);
      }
      const f = (x: number) => (x / seeds).toFixed(4);
      console.log(
        `${String(n).padStart(3)} | ${String(strength).padStart(3)} | ${Math.round(evaluated / seeds)} | ${f(without)} -> ${f(withAdj)} (${withAdj >= without ? '+' : ''}${((withAdj - without) / seeds).toFixed(4)}) | ${classes.map((c) => (c / seeds).toFixed(3)).join(' / ')}`,
      );
    }
  }
}

main();
