/**
 * Which features push the forecast stance model towards "undermines" (or "supports") on real-event dev
 * pairs, by occlusion: each feature of a pair in turn is set to its median over the set's related own
 * pairs, and the change in the disagree-minus-agree margin is that feature's push. Gradient-boosted trees
 * have no weights to read, and this needs no change to them. With weights that read a forecast both ways
 * (`forecast.negationSymmetry`, 2.26.0) the margin is the combined reading's: half the margin against the
 * forecast minus half the margin against it negated (`combineNegated`'s geometric mean, in log-odds), and
 * a feature is occluded in both vectors (each to its median over its own reading's pairs). The biases are the
 * scorer's too: swapped for a forecast that denies its event where the weights set `forecast.eventBias`.
 *
 *   npx tsx scripts/feature-occlusion.ts --weights F                 the confirming pairs the model leans to
 *                                                                   read as undermining: features summed
 *   npx tsx scripts/feature-occlusion.ts --weights F --want refuting  the refuting pairs it leans to read as supporting
 *   npx tsx scripts/feature-occlusion.ts --weights F --pair rd4-09#0  one pair (article id # forecast index)
 *
 * Reads real-event dev only (test and validation are scored only to report or to choose between versions).
 * Use tuning-phase weights (`train.ts --tune-only --tune-out=F`): the committed models trained on dev.
 */
import fs from 'node:fs';
import { frameClaim } from '../src/frame.ts';
import { predictMargins } from '../src/gbdt.ts';
import type { ScorerWeights } from '../src/model.ts';
import { negateClaim } from '../src/negation.ts';
import { pairFeatureNames, pairVector, prepareArticleData, prepareClaimData } from '../src/pair.ts';
import { eventBiasFor, featureContext } from '../src/scorer.ts';
import { readRealEvents, REAL_EVENTS_DEV_FILE, scriptArg } from './datasets.ts';

interface Row {
  ref: string;
  want: string;
  statement: string;
  x: Float64Array;
  /** The pair against the forecast negated, where the weights read both ways and the statement can be negated. */
  xn: Float64Array | null;
  /** The forecast denies its event (the frame's `negated`): with `forecast.eventBias` its biases are swapped. */
  denies: boolean;
}

/** How many of a pair's strongest pushes count towards the summary. */
const TOP = 8;

function main(): void {
  const file = scriptArg('weights');
  if (!file) throw new Error('feature-occlusion: name the weights with --weights F');
  const want = scriptArg('want') ?? 'confirming';
  if (want !== 'confirming' && want !== 'refuting') throw new Error(`feature-occlusion: --want is confirming or refuting, not "${want}"`);
  const only = scriptArg('pair');
  const weights = JSON.parse(fs.readFileSync(file, 'utf8')) as ScorerWeights;
  const ctx = featureContext(weights);
  const names = pairFeatureNames(ctx);
  const idf = (k: string) => ctx.idf.idf[k] ?? ctx.idf.defaultIdf;
  const model = weights.forecast.stance;
  const symmetric = weights.forecast.negationSymmetry ?? false;
  const rows: Row[] = [];
  for (const e of readRealEvents(REAL_EVENTS_DEV_FILE)) {
    const article = prepareArticleData(ctx, {
      title: e.article.title,
      body: e.article.body,
      ...(e.article.date ? { published: e.article.date } : {}),
    });
    e.forecasts.forEach((f, k) => {
      if (f.want === 'unrelated') return;
      const prepare = (statement: string) => prepareClaimData(ctx, { statement }, (t) => frameClaim(t, idf));
      const negated = symmetric ? negateClaim({ statement: f.statement }) : null;
      const claim = prepare(f.statement);
      rows.push({
        ref: `${e.id}#${k}`,
        want: f.want,
        statement: f.statement,
        x: pairVector(ctx, claim, article).x,
        xn: negated ? pairVector(ctx, prepare(negated.statement), article).x : null,
        denies: claim.frame.negated,
      });
    });
  }
  if (only && !rows.some((r) => r.ref === only)) throw new Error(`feature-occlusion: no related dev pair ${only}`);
  const medianOf = (vectors: Float64Array[]) =>
    names.map((_, i) => {
      const v = vectors.map((x) => x[i] ?? 0).sort((a, b) => a - b);
      return v[Math.floor(v.length / 2)] ?? 0;
    });
  const median = medianOf(rows.map((r) => r.x));
  const medianNegated = medianOf(rows.flatMap((r) => (r.xn ? [r.xn] : [])));
  // Positive: towards "undermines", after the tuned stance biases (the scorer reads agree against disagree
  // as p * bias, so the log-odds the decision turns on are the margins' difference plus the biases' log ratio;
  // with `forecast.eventBias` a forecast that denies its event has the two biases swapped, as in the scorer).
  const offsetOf = (bias: readonly number[]) => Math.log((bias[1] ?? 1) / (bias[0] ?? 1));
  const offset = offsetOf(weights.forecast.stanceBias);
  const deniedOffset = weights.forecast.eventBias ? offsetOf(eventBiasFor(weights.forecast.stanceBias)) : offset;
  const margin = (x: Float64Array) => {
    const m = predictMargins(model, x);
    return (m[1] ?? 0) - (m[0] ?? 0);
  };
  /** The decision's log-odds, with feature `i` (if any) at its median in each reading. */
  const lean = (r: Row, i = -1) => {
    const occlude = (x: Float64Array, med: readonly number[]) => {
      if (i < 0) return x;
      const y = Float64Array.from(x);
      y[i] = med[i] ?? 0;
      return y;
    };
    const once = margin(occlude(r.x, median));
    return (r.xn ? (once - margin(occlude(r.xn, medianNegated))) / 2 : once) + (r.denies ? deniedOffset : offset);
  };
  const total = new Map<string, { push: number; pairs: number }>();
  let leaning = 0;
  for (const r of rows) {
    if (only ? r.ref !== only : r.want !== want) continue;
    const base = lean(r);
    // Pushes the wrong way: towards undermining for a confirming pair, towards supporting for a refuting one.
    const sign = (only ? r.want === 'refuting' : want === 'refuting') ? -1 : 1;
    if (!only && sign * base <= 0) continue;
    leaning++;
    const pushes: { name: string; value: number; push: number }[] = [];
    for (let i = 0; i < names.length; i++) {
      if (r.x[i] === median[i] && (!r.xn || r.xn[i] === medianNegated[i])) continue;
      pushes.push({ name: names[i] ?? String(i), value: r.x[i] ?? 0, push: sign * (base - lean(r, i)) });
    }
    pushes.sort((a, b) => b.push - a.push);
    if (only) {
      console.log(
        `${r.ref} (${r.want}): ${r.statement}\ndisagree - agree log-odds after the biases ${base.toFixed(3)}; strongest pushes the wrong way:`,
      );
      for (const p of pushes.slice(0, 15)) console.log(`  ${p.name.padEnd(28)} ${p.value.toFixed(3).padStart(8)}  ${p.push.toFixed(3)}`);
    }
    for (const p of pushes.slice(0, TOP)) {
      const t = total.get(p.name) ?? { push: 0, pairs: 0 };
      total.set(p.name, { push: t.push + p.push, pairs: t.pairs + 1 });
    }
  }
  if (only) return;
  console.log(`${leaning} ${want} dev pairs lean the wrong way; features among each one's ${TOP} strongest pushes, summed:`);
  for (const [name, t] of [...total].sort((a, b) => b[1].push - a[1].push).slice(0, 25))
    console.log(
      `  ${name.padEnd(28)} ${t.push.toFixed(2).padStart(7)} over ${t.pairs} pairs (median ${(median[names.indexOf(name)] ?? 0).toFixed(3)})`,
    );
}

main();
