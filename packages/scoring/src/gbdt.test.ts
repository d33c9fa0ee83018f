import { describe, expect, it } from 'vitest';
import { createRandom, predictProba, trainGbdt } from './gbdt.ts';

function makeData(n: number, seed: number) {
  const rand = createRandom(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rand();
    const b = rand();
    const noise = rand();
    X.push([a, b, noise]);
    // Three classes split by an interaction the trees must learn.
    y.push(a > 0.5 ? (b > 0.5 ? 2 : 1) : 0);
  }
  return { X, y };
}

describe('trainGbdt', () => {
  it('learns a three-class interaction and generalises to fresh data', () => {
    const train = makeData(2000, 1);
    const test = makeData(500, 2);
    const { model } = trainGbdt(train.X, train.y, 3, { rounds: 60, maxDepth: 3, learningRate: 0.3 });
    let hits = 0;
    test.X.forEach((x, i) => {
      const p = predictProba(model, x);
      const best = p.indexOf(Math.max(...p));
      if (best === test.y[i]) hits++;
    });
    expect(hits / test.X.length).toBeGreaterThan(0.95);
  });

  it('binary models output a calibrated-looking probability and stop early on a validation set', () => {
    const d = makeData(2000, 3);
    const y = d.y.map((v) => (v === 0 ? 0 : 1));
    const v = makeData(400, 4);
    const vy = v.y.map((c) => (c === 0 ? 0 : 1));
    const fit = trainGbdt(d.X, y, 2, { rounds: 400, learningRate: 0.3, valid: { X: v.X, y: vy }, earlyStoppingRounds: 10 });
    expect(fit.bestRound).toBeLessThan(400);
    expect(fit.model.trees.length).toBe(fit.bestRound);
    const [p0, p1] = predictProba(fit.model, [0.9, 0.1, 0.5]);
    expect(p1).toBeGreaterThan(0.9);
    expect((p0 ?? 0) + (p1 ?? 0)).toBeCloseTo(1, 10);
    expect(predictProba(fit.model, [0.1, 0.9, 0.5])[1]).toBeLessThan(0.1);
  });

  it('is deterministic for a seed and survives a JSON round trip', () => {
    const d = makeData(500, 5);
    const a = trainGbdt(d.X, d.y, 3, { rounds: 10 }).model;
    const b = trainGbdt(d.X, d.y, 3, { rounds: 10 }).model;
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const copy = JSON.parse(JSON.stringify(a));
    expect(predictProba(copy, [0.7, 0.2, 0.1])).toEqual(predictProba(a, [0.7, 0.2, 0.1]));
  });

  it('keeps a monotone constraint where the data would break it, and still splits on the free feature', () => {
    // The label rises with the first feature except for a dip in the middle, and the second feature matters too.
    const rand = createRandom(7);
    const X: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const a = rand();
      const b = rand();
      X.push([a, b]);
      const p = (a > 0.4 && a < 0.6 ? 0.1 : a) * 0.7 + b * 0.3;
      y.push(rand() < p ? 1 : 0);
    }
    const opts = { rounds: 80, maxDepth: 4, learningRate: 0.2, subsample: 1, colsample: 1 };
    const free = trainGbdt(X, y, 2, opts).model;
    const rising = trainGbdt(X, y, 2, { ...opts, monotone: [[1, 0]] }).model;
    const along = (model: typeof free, b: number) => Array.from({ length: 51 }, (_, i) => predictProba(model, [i / 50, b])[1] ?? 0);
    const drops = (ps: number[]) => ps.slice(1).filter((p, i) => p < (ps[i] ?? 0) - 1e-12).length;
    // Unconstrained, the trees learn the dip; constrained, no step along the feature goes down, at any value of the other.
    expect(drops(along(free, 0.5))).toBeGreaterThan(0);
    for (const b of [0.1, 0.5, 0.9]) expect(drops(along(rising, b))).toBe(0);
    // The free feature is still used.
    expect(predictProba(rising, [0.8, 0.9])[1]).toBeGreaterThan(predictProba(rising, [0.8, 0.1])[1] ?? 1);
    // Falling: the mirror image.
    const falling = trainGbdt(X, y, 2, { ...opts, monotone: [[-1, 0]] }).model;
    const fall = along(falling, 0.5);
    expect(fall.slice(1).filter((p, i) => p > (fall[i] ?? 0) + 1e-12)).toEqual([]);
  });
});
