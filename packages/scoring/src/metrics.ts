/**
 * FNC-1 metrics: the official weighted score, per-class and macro F1 (Hanselowski et al.,
 * 2018), accuracy and the confusion matrix. Predictions are compared by position.
 */
import { STANCES } from '@signpost/vocabulary';

/** Class order used by every matrix and per-class report: the vocabulary's. */
export { STANCES };

export class MetricsError extends Error {
  override name = 'MetricsError';
}

function checkLengths(gold: readonly string[], pred: readonly string[]): void {
  if (gold.length !== pred.length) {
    throw new MetricsError(`scoring: metrics need equal lengths, got ${gold.length} gold and ${pred.length} predicted labels`);
  }
}

/** Rows = gold, columns = predicted, both in `labels` order; unknown labels are an error. */
export function confusionMatrix(gold: readonly string[], pred: readonly string[], labels: readonly string[] = STANCES): number[][] {
  checkLengths(gold, pred);
  const index = new Map(labels.map((l, i) => [l, i]));
  const m = labels.map(() => labels.map(() => 0));
  for (let i = 0; i < gold.length; i++) {
    const gi = index.get(gold[i] ?? '');
    const pi = index.get(pred[i] ?? '');
    if (gi === undefined) throw new MetricsError(`scoring: unknown gold label "${gold[i]}" at row ${i + 1}`);
    if (pi === undefined) throw new MetricsError(`scoring: unknown predicted label "${pred[i]}" at row ${i + 1}`);
    const row = m[gi] as number[];
    row[pi] = (row[pi] ?? 0) + 1;
  }
  return m;
}

export interface FncScore {
  score: number;
  max: number;
  /** score / max, 0..1 (multiply by 100 for the usual percentage). */
  relative: number;
}

/** The official FNC-1 weighted score: 0.25 for related/unrelated right, +0.75 for the exact related label. */
export function fncScore(gold: readonly string[], pred: readonly string[]): FncScore {
  checkLengths(gold, pred);
  let score = 0;
  let max = 0;
  for (let i = 0; i < gold.length; i++) {
    const g = gold[i];
    const p = pred[i];
    if (g === 'unrelated') {
      max += 0.25;
      if (p === 'unrelated') score += 0.25;
    } else {
      max += 1;
      if (p !== 'unrelated') score += 0.25;
      if (p === g) score += 0.75;
    }
  }
  return { score, max, relative: max > 0 ? score / max : 0 };
}

/** Per-class F1 (0 when undefined), in `labels` order. */
export function perClassF1(gold: readonly string[], pred: readonly string[], labels: readonly string[] = STANCES): number[] {
  const m = confusionMatrix(gold, pred, labels);
  return labels.map((_, c) => {
    const tp = m[c]?.[c] ?? 0;
    let predicted = 0;
    let actual = 0;
    for (let r = 0; r < labels.length; r++) {
      predicted += m[r]?.[c] ?? 0;
      actual += m[c]?.[r] ?? 0;
    }
    const p = predicted ? tp / predicted : 0;
    const rec = actual ? tp / actual : 0;
    return p + rec > 0 ? (2 * p * rec) / (p + rec) : 0;
  });
}

/** Unweighted mean of the per-class F1 scores. */
export function macroF1(gold: readonly string[], pred: readonly string[], labels: readonly string[] = STANCES): number {
  const f = perClassF1(gold, pred, labels);
  return f.reduce((a, b) => a + b, 0) / f.length;
}

export function accuracy(gold: readonly string[], pred: readonly string[]): number {
  checkLengths(gold, pred);
  let hit = 0;
  for (let i = 0; i < gold.length; i++) if (gold[i] === pred[i]) hit++;
  return gold.length ? hit / gold.length : 0;
}

/**
 * Area under the ROC curve of `score` for telling `positive` items from the rest (ties count half):
 * the chance that a random positive scores above a random negative. Threshold-free, so it measures
 * how well the scores rank apart from where the decisions cut them. NaN when a side is empty.
 */
export function rankAuc(scores: readonly number[], positive: readonly boolean[]): number {
  if (scores.length !== positive.length) throw new MetricsError(`metrics: ${scores.length} scores but ${positive.length} labels`);
  const order = scores.map((s, i) => ({ s, p: positive[i] === true })).sort((a, b) => a.s - b.s);
  let rankSum = 0;
  let pos = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && order[j]!.s === order[i]!.s) j++;
    const meanRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++)
      if (order[k]!.p) {
        rankSum += meanRank;
        pos++;
      }
    i = j;
  }
  const neg = order.length - pos;
  return pos && neg ? (rankSum - (pos * (pos + 1)) / 2) / (pos * neg) : Number.NaN;
}

/**
 * Direction apart from where the stance biases cut it: how well the agree-against-disagree odds,
 * agree / (agree + disagree), rank the confirmed pairs above the refuted ones (`rankAuc`; 0.5 is chance).
 */
export function directionAuc(pairs: readonly { agree: number; disagree: number; confirmed: boolean }[]): number {
  return rankAuc(
    pairs.map((p) => p.agree / (p.agree + p.disagree || 1)),
    pairs.map((p) => p.confirmed),
  );
}

/** Two sets of predictions on the same items compared (`pairedBootstrap`). */
export interface PairedComparison {
  /** The measure of A, of B, and B − A. */
  a: number;
  b: number;
  diff: number;
  /** A 95 % interval for B − A (the 2.5th and 97.5th percentiles over the rounds). */
  low: number;
  high: number;
  /** Share of rounds in which B measured above A. */
  bAbove: number;
  /** Items only A judged right, and only B. */
  onlyA: number;
  onlyB: number;
}

/**
 * Whether B's predictions beat A's on the same items beyond chance: the difference of `measure`
 * (macro-F1 by default) and a 95 % interval for it from a paired bootstrap that draws whole clusters
 * with replacement, `rounds` times (the pairs of one forecast, or of one article, rise and fall
 * together, so drawing single pairs would make the interval too narrow). `random` gives uniform numbers
 * in [0, 1), seeded for repeatable figures.
 */
export function pairedBootstrap(
  gold: readonly string[],
  predA: readonly string[],
  predB: readonly string[],
  clusters: readonly string[],
  options: { random: () => number; rounds?: number; measure?: (gold: readonly string[], pred: readonly string[]) => number },
): PairedComparison {
  checkLengths(gold, predA);
  checkLengths(gold, predB);
  checkLengths(gold, clusters);
  const measure = options.measure ?? ((g: readonly string[], p: readonly string[]) => macroF1(g, p));
  const rounds = options.rounds ?? 1000;
  const members = new Map<string, number[]>();
  for (let i = 0; i < clusters.length; i++) {
    const list = members.get(clusters[i]!);
    if (list) list.push(i);
    else members.set(clusters[i]!, [i]);
  }
  const groups = [...members.values()];
  const diffs: number[] = [];
  let above = 0;
  for (let r = 0; r < rounds; r++) {
    const g: string[] = [];
    const pa: string[] = [];
    const pb: string[] = [];
    for (let k = 0; k < groups.length; k++) {
      for (const i of groups[Math.floor(options.random() * groups.length)]!) {
        g.push(gold[i]!);
        pa.push(predA[i]!);
        pb.push(predB[i]!);
      }
    }
    const d = measure(g, pb) - measure(g, pa);
    diffs.push(d);
    if (d > 0) above++;
  }
  diffs.sort((x, y) => x - y);
  const at = (q: number) => diffs[Math.min(diffs.length - 1, Math.max(0, Math.floor(q * diffs.length)))] ?? 0;
  const a = measure(gold, predA);
  const b = measure(gold, predB);
  let onlyA = 0;
  let onlyB = 0;
  for (let i = 0; i < gold.length; i++) {
    const ra = predA[i] === gold[i];
    const rb = predB[i] === gold[i];
    if (ra && !rb) onlyA++;
    if (rb && !ra) onlyB++;
  }
  return { a, b, diff: b - a, low: at(0.025), high: at(0.975), bAbove: rounds ? above / rounds : 0, onlyA, onlyB };
}
