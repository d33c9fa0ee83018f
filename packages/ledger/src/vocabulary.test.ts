import { describe, expect, it } from 'vitest';
import { STATUSES, signpostMeaning, stanceLabel, statusLabel, statusWord } from './vocabulary.ts';

describe('vocabulary', () => {
  it('has one distinct label per status, and the sentence form is the label in lower case', () => {
    const labels = STATUSES.map(statusLabel);
    expect(new Set(labels).size).toBe(STATUSES.length);
    expect(statusLabel('no-evidence')).toBe('No evidence yet');
    expect(statusWord('under-pressure')).toBe('under pressure');
    expect(stanceLabel('disagree')).toBe('undermines');
  });

  it('says what a signpost means for the forecast according to its direction', () => {
    expect(signpostMeaning('fails', { seen: 13, contradicted: 0 })).toBe('Seen in 13 articles, which counts against the forecast.');
    expect(signpostMeaning('holds', { seen: 1, contradicted: 2 })).toBe('Seen in 1 article, which counts for the forecast; contradicted in 2 articles, which counts against the forecast.');
    expect(signpostMeaning('holds', { seen: 0, contradicted: 0 })).toBe('Not reported yet.');
  });
});
