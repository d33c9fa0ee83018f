import { describe, expect, it } from 'vitest';
import { findEntities, checkEntities } from './entities.ts';
import { contentTerms, splitSentences, stem, tokenize } from './text.ts';

describe('text', () => {
  it('splits negative contractions into a separate "not"', () => {
    expect(tokenize("China won't sanction Russia; it isn't ready")).toEqual([
      'china',
      'wo',
      'not',
      'sanction',
      'russia',
      'it',
      'is',
      'not',
      'ready',
    ]);
  });

  it('conflates inflections of the same word', () => {
    expect(stem('denies')).toBe(stem('denied'));
    expect(stem('reports')).toBe(stem('reported'));
    expect(stem('sanctions')).toBe(stem('sanctioning'));
    expect(stem('sanction')).not.toBe(stem('santa'));
  });

  it('keeps negations among content terms and drops stop words', () => {
    expect(contentTerms(tokenize('The claim is not true'))).toEqual([stem('claim'), 'not', stem('true')]);
  });

  it('splits sentences at terminal punctuation and line breaks, not inside abbreviations before lower case', () => {
    expect(splitSentences('Officials said so. "It is false," he added.\nA new paragraph e.g. this one')).toEqual([
      'Officials said so.',
      '"It is false," he added.',
      'A new paragraph e.g. this one',
    ]);
  });
});

describe('entities', () => {
  it('tells the PRC from the Republic of China and North from South Korea', () => {
    expect([...findEntities('The Republic of China held drills near Taipei').keys()]).toEqual(['TW']);
    expect([...findEntities("The People's Republic of China protested").keys()]).toEqual(['CN']);
    expect([...findEntities('South Korean troops and North Korea').keys()].sort()).toEqual(['KP', 'KR']);
  });

  it('discounts hard when a confusable partner stands in for a missing entity', () => {
    const claim = findEntities('China will not sanction Russia');
    const ukraine = checkEntities(claim, findEntities('China calls for talks with Ukraine and Kyiv'));
    expect(ukraine.confused).toEqual(['RU']);
    const both = checkEntities(claim, findEntities('Beijing and Moscow sign a trade deal'));
    expect(both.factor).toBe(1);
    expect(ukraine.factor).toBeLessThan(0.2);
  });
});
