/**
 * Learning from analysts: a forecast's reviewed judgments (an analyst confirmed or corrected the
 * scorer's stance) become a small correction for that forecast on that installation. Two numbers
 * and a vector, fitted by penalised maximum likelihood on the scorer's own outputs:
 *
 * - `relatedOffset`, added to logit P(related): a broad forecast whose related verdicts analysts keep
 *   marking unrelated gets a negative offset, so it claims fewer articles;
 * - `stanceBias`, added to log P(agree, disagree, discuss | related): a forecast whose "discuss"
 *   verdicts analysts keep turning into "agree" leans that way.
 *
 * The penalty (`strength`, a Gaussian prior at zero) keeps a handful of reviews from swinging a
 * forecast; the more reviews agree, the further the correction goes. Pure functions, no I/O.
 */
import { RELATED_STANCES, type RelatedStance } from '@signpost/vocabulary';
import type { Stance } from './types.ts';

export interface ForecastAdjustment {
  relatedOffset: number;
  stanceBias: [number, number, number];
  /** How many reviewed judgments it was fitted on. */
  reviewed: number;
}

export interface ReviewedJudgment {
  /** The scorer's P(related) for the pair (before any adjustment). */
  relevance: number;
  /** The scorer's P(agree, disagree, discuss | related) (before any adjustment). */
  probabilities: { agree: number; disagree: number; discuss: number };
  /** What the analyst said the pair is. */
  stance: Stance;
}

/** Prior strength fitted by the review simulation on the corpus dev split (docs/scoring.md). */
export const DEFAULT_STRENGTH = 1;

function logit(p: number): number {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

function softmax(z: number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** Solves the 3x3 system A x = b (Gaussian elimination with partial pivoting). */
function solve3(A: number[][], b: number[]): number[] {
  const M = A.map((row, i) => [...row, b[i] ?? 0]);
  for (let c = 0; c < 3; c++) {
    let p = c;
    for (let r = c + 1; r < 3; r++) if (Math.abs(M[r]?.[c] ?? 0) > Math.abs(M[p]?.[c] ?? 0)) p = r;
    [M[c], M[p]] = [M[p] as number[], M[c] as number[]];
    for (let r = c + 1; r < 3; r++) {
      const f = (M[r]?.[c] ?? 0) / (M[c]?.[c] ?? 1);
      for (let k = c; k < 4; k++) (M[r] as number[])[k] = (M[r]?.[k] ?? 0) - f * (M[c]?.[k] ?? 0);
    }
  }
  const x = [0, 0, 0];
  for (let r = 2; r >= 0; r--) {
    let s = M[r]?.[3] ?? 0;
    for (let k = r + 1; k < 3; k++) s -= (M[r]?.[k] ?? 0) * (x[k] ?? 0);
    x[r] = s / (M[r]?.[r] ?? 1);
  }
  return x;
}

/** Fits a forecast's correction to its reviewed judgments (see the module comment). */
export function fitAdjustment(reviews: readonly ReviewedJudgment[], options: { strength?: number } = {}): ForecastAdjustment {
  const lambda = options.strength ?? DEFAULT_STRENGTH;
  // Relatedness: Newton's method on one offset.
  let offset = 0;
  for (let it = 0; it < 30; it++) {
    let g = -lambda * offset;
    let h = -lambda;
    for (const r of reviews) {
      const p = sigmoid(logit(r.relevance) + offset);
      g += (r.stance === 'unrelated' ? 0 : 1) - p;
      h -= p * (1 - p);
    }
    const step = g / h;
    offset -= step;
    if (Math.abs(step) < 1e-9) break;
  }
  // Stance among the pairs the analyst called related: Newton's method on three biases.
  const related = reviews.filter((r) => r.stance !== 'unrelated');
  let bias = [0, 0, 0];
  for (let it = 0; it < 30; it++) {
    const g = bias.map((b) => -lambda * b);
    const H = [0, 1, 2].map((i) => [0, 1, 2].map((j) => (i === j ? -lambda : 0)));
    for (const r of related) {
      const z = RELATED_STANCES.map((s, i) => Math.log(Math.max(1e-6, r.probabilities[s])) + (bias[i] ?? 0));
      const q = softmax(z);
      const y = RELATED_STANCES.indexOf(r.stance as RelatedStance);
      for (let i = 0; i < 3; i++) {
        (g as number[])[i] = (g[i] ?? 0) + (i === y ? 1 : 0) - (q[i] ?? 0);
        for (let j = 0; j < 3; j++) (H[i] as number[])[j] = (H[i]?.[j] ?? 0) - ((i === j ? (q[i] ?? 0) : 0) - (q[i] ?? 0) * (q[j] ?? 0));
      }
    }
    const step = solve3(H, g);
    bias = bias.map((b, i) => b - (step[i] ?? 0));
    if (step.reduce((a, v) => a + Math.abs(v), 0) < 1e-9) break;
  }
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  return {
    relatedOffset: round(offset),
    stanceBias: [round(bias[0] ?? 0), round(bias[1] ?? 0), round(bias[2] ?? 0)],
    reviewed: reviews.length,
  };
}

/** A judgment's P(related) and stance probabilities with a forecast's correction applied. */
export function applyAdjustment(
  relevance: number,
  probs: readonly [number, number, number],
  adjustment: ForecastAdjustment,
): { relevance: number; probs: [number, number, number] } {
  const q = softmax(probs.map((p, i) => Math.log(Math.max(1e-6, p)) + (adjustment.stanceBias[i] ?? 0)));
  return { relevance: sigmoid(logit(relevance) + adjustment.relatedOffset), probs: [q[0] ?? 0, q[1] ?? 0, q[2] ?? 0] };
}
