/**
 * `signpost train`: learning from this installation's analysts. Every verdict an analyst gave on the
 * dashboard (overrides) is a reviewed judgment; for each forecast with enough of them the command fits
 * a small correction to the scorer's outputs (packages/scoring `fitAdjustment`: an offset on
 * P(related) and a bias on the stance probabilities, held near zero by a prior) and stores it on the
 * forecast. The forecast's claim hash moves with it, so the next cycle re-scores its archive with the
 * correction; the analysts' own verdicts keep winning on the pairs they reviewed.
 */
import { listReviewedPairs, setPredictionAdjustment, type Database } from '@signpost/db';
import { DEFAULT_STRENGTH, fitAdjustment, type ReviewedJudgment } from '@signpost/scoring';
import { isStance } from '@signpost/vocabulary';
import type { WorkerEnv } from '../env.ts';
import { toScorableArticle, toScorableClaim } from '../pipeline/score-articles.ts';
import { openRuntime } from '../runtime.ts';

export async function trainCommand(
  env: WorkerEnv,
  opts: { minReviews?: number; strength?: number; out: NodeJS.WritableStream; database?: Database },
): Promise<number> {
  const minReviews = opts.minReviews ?? 3;
  const strength = opts.strength ?? DEFAULT_STRENGTH;
  const runtime = await openRuntime(env, { database: opts.database });
  try {
    const { db } = runtime.database;
    await runtime.config.refresh();
    const reviewed = await listReviewedPairs(db);
    const byForecast = new Map<string, ReviewedJudgment[]>();
    for (const r of reviewed) {
      if (!isStance(r.stance)) continue;
      // The scorer's own view of the pair, without any earlier adjustment.
      const j = runtime.scorer.score(toScorableClaim(r), toScorableArticle(r.article));
      const list = byForecast.get(r.predictionId) ?? [];
      list.push({
        relevance: j.relevance,
        probabilities: j.stanceProbabilities ?? { agree: 1 / 3, disagree: 1 / 3, discuss: 1 / 3 },
        stance: r.stance,
      });
      byForecast.set(r.predictionId, list);
    }
    const lines: string[] = [];
    let adjusted = 0;
    let rescore = 0;
    for (const [predictionId, reviews] of [...byForecast].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (reviews.length < minReviews) {
        lines.push(
          `  ${predictionId}: ${reviews.length} review${reviews.length === 1 ? '' : 's'}, fewer than ${minReviews}: left as it is`,
        );
        continue;
      }
      const adjustment = fitAdjustment(reviews, { strength });
      if (await setPredictionAdjustment(db, predictionId, adjustment)) rescore++;
      adjusted++;
      const [a, d, s] = adjustment.stanceBias;
      lines.push(
        `  ${predictionId}: ${reviews.length} reviews; related offset ${signed(adjustment.relatedOffset)}, stance bias agree ${signed(a)} disagree ${signed(d)} discuss ${signed(s)}`,
      );
    }
    opts.out.write(
      `train: ${reviewed.length} reviewed judgment${reviewed.length === 1 ? '' : 's'} over ${byForecast.size} forecast${byForecast.size === 1 ? '' : 's'}; ` +
        `${adjusted} adjusted (prior strength ${strength}), ${rescore} to be re-scored on the next cycle (${runtime.scorer.id})\n` +
        (lines.length ? `${lines.join('\n')}\n` : ''),
    );
    return 0;
  } finally {
    await runtime.close();
  }
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;
}
