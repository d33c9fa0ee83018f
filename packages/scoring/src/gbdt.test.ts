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
});
