import { describe, expect, it } from 'vitest';
import { editDistance, suggestClosest } from './did-you-mean.ts';

describe('did you mean', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps as one edit', () => {
    expect(editDistance('deadline', 'deadlin')).toBe(1);
    expect(editDistance('title', 'titel')).toBe(1);
    expect(editDistance('kind', 'bind')).toBe(1);
    expect(editDistance('abc', 'xyz')).toBe(3);
  });

  it('suggests only close candidates', () => {
    expect(suggestClosest('titel', ['url', 'title', 'tags'])).toBe('title');
    expect(suggestClosest('Statment', ['statement', 'quote'])).toBe('statement');
    expect(suggestClosest('colour', ['id', 'statement', 'kind'])).toBeUndefined();
    expect(suggestClosest('x', [])).toBeUndefined();
  });
});
