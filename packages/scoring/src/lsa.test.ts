import { describe, expect, it } from 'vitest';
import { cosineDense, createLsaIndex, fitLsa, projectLsa } from './lsa.ts';

describe('fitLsa', () => {
  it('puts texts on one topic close together even when they share no word', () => {
    const terms = ['rocket', 'launch', 'orbit', 'nasa', 'goal', 'match', 'league', 'striker'];
    // Documents mix words within a topic, never across topics.
    const docs = [
      [0, 1],
      [1, 2],
      [2, 3],
      [0, 3],
      [0, 1, 2],
      [1, 3],
      [4, 5],
      [5, 6],
      [6, 7],
      [4, 7],
      [4, 5, 6],
      [5, 7],
    ];
    const rows = docs.map((d) => ({ t: d, w: d.map(() => 1 / Math.sqrt(d.length)) }));
    const model = fitLsa(rows, terms, 2);
    const index = createLsaIndex(model);
    const vec = (words: string[]) => projectLsa(model, index, new Map(words.map((w) => [w, 1])));
    const space = vec(['rocket', 'nasa']);
    expect(cosineDense(space, vec(['orbit', 'launch']))).toBeGreaterThan(0.9);
    expect(Math.abs(cosineDense(space, vec(['goal', 'league'])))).toBeLessThan(0.2);
    expect(model.vectors).toHaveLength(terms.length * 2);
  });
});
