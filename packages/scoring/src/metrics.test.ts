import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  confusionMatrix,
  directionAuc,
  fncScore,
  macroF1,
  MetricsError,
  pairedBootstrap,
  perClassF1,
  rankAuc,
} from './metrics.ts';
import { createRandom } from './gbdt.ts';
import { readStanceColumn, resolveSharedDir } from '../scripts/datasets.ts';

const fncDir = path.join(resolveSharedDir(), 'data', 'fnc-1');
const haveData = fs.existsSync(path.join(fncDir, 'competition_test_stances.csv'));

describe('metrics on small inputs', () => {
  it('scores exact, related-but-wrong and unrelated predictions as FNC-1 does', () => {
    const gold = ['agree', 'agree', 'agree', 'unrelated', 'unrelated'];
    const pred = ['agree', 'discuss', 'unrelated', 'unrelated', 'agree'];
    const s = fncScore(gold, pred);
    expect(s.score).toBe(1 + 0.25 + 0 + 0.25 + 0);
    expect(s.max).toBe(3 + 0.5);
    expect(s.relative).toBeCloseTo(1.5 / 3.5, 10);
  });

  it('builds the confusion matrix with gold rows and predicted columns', () => {
    const m = confusionMatrix(['agree', 'disagree', 'disagree'], ['agree', 'agree', 'disagree']);
    expect(m[0]).toEqual([1, 0, 0, 0]);
    expect(m[1]).toEqual([1, 1, 0, 0]);
    expect(perClassF1(['agree', 'disagree', 'disagree'], ['agree', 'agree', 'disagree'])).toEqual([2 / 3, 2 / 3, 0, 0]);
    expect(accuracy(['agree', 'discuss'], ['agree', 'agree'])).toBe(0.5);
  });

  it('ranks positives above negatives for the AUC, ties counting half', () => {
    expect(rankAuc([0.9, 0.8, 0.2, 0.1], [true, true, false, false])).toBe(1);
    expect(rankAuc([0.1, 0.2, 0.8, 0.9], [true, true, false, false])).toBe(0);
    expect(rankAuc([0.5, 0.5], [true, false])).toBe(0.5);
    // One of the four positive-negative orderings is wrong: 0.75.
    expect(rankAuc([0.9, 0.4, 0.6, 0.1], [true, true, false, false])).toBe(0.75);
    expect(rankAuc([0.3], [true])).toBeNaN();
    expect(() => rankAuc([0.3], [])).toThrow(/1 scores but 0 labels/);
  });

  it('ranks confirmed pairs by their agree-against-disagree odds for the direction AUC, whatever the discuss share', () => {
    // Odds 0.8 and 0.5 confirmed, 0.6 and 0.2 refuted: one ordering of four wrong.
    const pairs = [
      { agree: 0.4, disagree: 0.1, confirmed: true },
      { agree: 0.3, disagree: 0.3, confirmed: true },
      { agree: 0.06, disagree: 0.04, confirmed: false },
      { agree: 0.1, disagree: 0.4, confirmed: false },
    ];
    expect(directionAuc(pairs)).toBe(0.75);
    // No agree or disagree probability at all reads as odds 0, not a division by zero.
    expect(
      directionAuc([
        { agree: 0, disagree: 0, confirmed: true },
        { agree: 0.1, disagree: 0.9, confirmed: false },
      ]),
    ).toBe(0);
  });

  it('compares two sets of predictions by a paired bootstrap over whole clusters', () => {
    // 40 clusters of 5 items; B judges every item right, A misses one item in each of 10 clusters.
    const gold: string[] = [];
    const a: string[] = [];
    const b: string[] = [];
    const clusters: string[] = [];
    const labels = ['agree', 'disagree', 'discuss', 'unrelated', 'unrelated'];
    for (let c = 0; c < 40; c++)
      for (let k = 0; k < 5; k++) {
        gold.push(labels[k]!);
        b.push(labels[k]!);
        a.push(c < 10 && k === 0 ? 'discuss' : labels[k]!);
        clusters.push(`c${c}`);
      }
    const better = pairedBootstrap(gold, a, b, clusters, { random: createRandom(1), rounds: 400, measure: accuracy });
    expect(better.a).toBeCloseTo(190 / 200, 10);
    expect(better.b).toBe(1);
    expect(better.diff).toBeCloseTo(0.05, 10);
    expect(better.onlyA).toBe(0);
    expect(better.onlyB).toBe(10);
    // Every draw favours B, and the interval holds the difference and excludes zero.
    expect(better.bAbove).toBeGreaterThan(0.99);
    expect(better.low).toBeGreaterThan(0);
    expect(better.low).toBeLessThanOrEqual(better.diff);
    expect(better.high).toBeGreaterThanOrEqual(better.diff);
    // The same predictions on both sides: no difference, an interval of zero width.
    const same = pairedBootstrap(gold, a, a, clusters, { random: createRandom(2), rounds: 100 });
    expect([same.diff, same.low, same.high, same.bAbove]).toEqual([0, 0, 0, 0]);
    // Swapping the sides turns the interval round.
    const swapped = pairedBootstrap(gold, b, a, clusters, { random: createRandom(1), rounds: 400, measure: accuracy });
    expect(swapped.high).toBeLessThan(0);
    expect(() => pairedBootstrap(gold, a, b.slice(1), clusters, { random: Math.random })).toThrow(MetricsError);
  });

  it('rejects unknown labels and mismatched lengths with a clear error', () => {
    expect(() => confusionMatrix(['agree'], ['maybe'])).toThrow(/unknown predicted label "maybe" at row 1/);
    expect(() => fncScore(['agree'], [])).toThrow(MetricsError);
  });
});

describe.skipIf(!haveData)('metrics against the FNC-1 README test vectors (needs ../shared)', () => {
  const gold = haveData ? readStanceColumn(path.join(fncDir, 'competition_test_stances.csv')) : [];

  it('all-unrelated baseline', () => {
    const pred = gold.map(() => 'unrelated');
    const s = fncScore(gold, pred);
    expect(s.score).toBe(4587.25);
    expect(s.max).toBe(11651.25);
    expect(Number((s.relative * 100).toFixed(2))).toBe(39.37);
    // The README rounds the unrelated F1 (0.83858) up to 0.8387, hence 3 places here.
    expect(macroF1(gold, pred)).toBeCloseTo(0.2097, 3);
    expect(accuracy(gold, pred)).toBeCloseTo(0.722, 4);
  });

  it('Cisco-Talos reference predictions give 82.02 %', () => {
    const pred = readStanceColumn(path.join(fncDir, 'reference-predictions', 'cisco-talos', 'averaged_2models_cor4.csv'));
    const s = fncScore(gold, pred);
    expect(s.score).toBe(9556.5);
    expect(Number((s.relative * 100).toFixed(2))).toBe(82.02);
    const f1 = perClassF1(gold, pred).map((x) => Number(x.toFixed(4)));
    expect(f1).toEqual([0.5369, 0.0355, 0.76, 0.9792]);
    expect(macroF1(gold, pred)).toBeCloseTo(0.5779, 4);
    expect(accuracy(gold, pred)).toBeCloseTo(0.8908, 4);
    expect(confusionMatrix(gold, pred)).toEqual([
      [1114, 17, 588, 184],
      [275, 13, 294, 115],
      [823, 6, 3401, 234],
      [35, 0, 203, 18111],
    ]);
  });

  it('Athene reference predictions give 81.97 %', () => {
    const pred = readStanceColumn(path.join(fncDir, 'reference-predictions', 'athene', 'official_FNC_submission.csv'));
    const s = fncScore(gold, pred);
    expect(s.score).toBe(9550.75);
    expect(Number((s.relative * 100).toFixed(2))).toBe(81.97);
    expect(perClassF1(gold, pred).map((x) => Number(x.toFixed(4)))).toEqual([0.4891, 0.1512, 0.7802, 0.9787]);
    expect(macroF1(gold, pred)).toBeCloseTo(0.5998, 4);
    expect(confusionMatrix(gold, pred)).toEqual([
      [851, 69, 826, 157],
      [241, 66, 241, 149],
      [466, 37, 3611, 350],
      [19, 4, 115, 18211],
    ]);
  });
});
